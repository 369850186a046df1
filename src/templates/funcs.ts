/**
 * Template functions: Go's text/template builtins plus the sprig helpers kube-burner templates use,
 * and kube-burner's own extras. Numbers are JS numbers; sprig's integer maths (div, mod, atoi, int)
 * truncates like Go int64 does.
 */
import { createHash, randomUUID } from 'node:crypto';
import { stringify } from 'yaml';

export type TemplateFn = (...args: unknown[]) => unknown;

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** How Go's fmt %v prints a value (what {{.X}} outputs). */
export function goString(v: unknown): string {
  if (v === null || v === undefined) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    return `map[${keys.map((k) => `${k}:${goString((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  return String(v);
}

function formatFloat(v: number): string {
  // Go %v uses the shortest representation, switching to exponent form for large exponents.
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e21 || abs < 1e-4)) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(v);
}

const num = (v: unknown): number => {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (v === null || v === undefined) return 0;
  throw new Error(`expected a number, got ${goString(v)}`);
};
const int = (v: unknown): number => Math.trunc(num(v));
const str = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'string' ? v : goString(v);

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
// Templates render once per object created, so this sits on the load generator's hot path: one
// byte buffer decoded once, not a string grown character by character.
const rand = (n: unknown, chars: string) => {
  const len = int(n);
  if (!(len > 0)) return '';
  const codes = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) codes[i] = chars.charCodeAt((Math.random() * chars.length) | 0);
  return codes.toString('latin1');
};

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' || typeof b === 'number') return num(a) - num(b);
  const x = str(a);
  const y = str(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function eq(a: unknown, ...bs: unknown[]): boolean {
  return bs.some((b) => (typeof a === 'number' || typeof b === 'number' ? num(a) === num(b) : a === b));
}

function sprintf(format: string, ...args: unknown[]): string {
  let i = 0;
  return format.replace(
    /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([vdsqfxXtTgeb%])/g,
    (m, flags: string, width, prec, verb: string) => {
      if (verb === '%') return '%';
      const a = args[i++];
      let s: string;
      switch (verb) {
        case 'd':
          s = String(int(a));
          break;
        case 'f':
          s = num(a).toFixed(prec !== undefined ? Number(prec) : 6);
          break;
        case 'g':
        case 'e':
          s = verb === 'e' ? num(a).toExponential(prec !== undefined ? Number(prec) : 6) : String(num(a));
          break;
        case 'q':
          s = JSON.stringify(str(a));
          break;
        case 'x':
        case 'X':
          s = typeof a === 'number' ? Math.trunc(a).toString(16) : Buffer.from(str(a)).toString('hex');
          if (verb === 'X') s = s.toUpperCase();
          break;
        case 'b':
          s = int(a).toString(2);
          break;
        case 't':
          s = String(!!a);
          break;
        default:
          s = goString(a);
      }
      if (width !== undefined && s.length < Number(width)) {
        const pad = flags.includes('0') && !flags.includes('-') ? '0' : ' ';
        s = flags.includes('-') ? s.padEnd(Number(width), ' ') : s.padStart(Number(width), pad);
      }
      return s;
    },
  );
}

function toYaml(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  return stringify(v, { lineWidth: 0 }).replace(/\n$/, '');
}

function indent(n: unknown, s: unknown): string {
  const pad = ' '.repeat(int(n));
  return str(s)
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function until(n: unknown): number[] {
  return untilStep(0, n, int(n) >= 0 ? 1 : -1);
}

function untilStep(start: unknown, stop: unknown, step: unknown): number[] {
  const out: number[] = [];
  const a = int(start);
  const b = int(stop);
  const s = int(step);
  if (s === 0) return out;
  for (let i = a; s > 0 ? i < b : i > b; i += s) out.push(i);
  return out;
}

function seq(...args: unknown[]): string {
  const n = args.map(int);
  let [start, step, end] = [1, 1, 1];
  if (n.length === 1) end = n[0]!;
  else if (n.length === 2) [start, end] = [n[0]!, n[1]!];
  else [start, step, end] = [n[0]!, n[1]!, n[2]!];
  if (n.length < 3 && end < start) step = -1;
  const out: number[] = [];
  if (step === 0) return '';
  for (let i = start; step > 0 ? i <= end : i >= end; i += step) out.push(i);
  return out.join(' ');
}

function binomial(n: unknown, k: unknown): number {
  let r = 1;
  const N = int(n);
  const K = int(k);
  if (K < 0 || K > N) return 0;
  for (let i = 1; i <= K; i++) r = (r * (N - K + i)) / i;
  return Math.round(r);
}

function dict(...kv: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < kv.length; i += 2) out[str(kv[i])] = kv[i + 1] ?? '';
  return out;
}

function index(v: unknown, ...keys: unknown[]): unknown {
  let cur = v;
  for (const k of keys) {
    if (cur === null || cur === undefined) throw new Error(`index of untyped nil`);
    if (Array.isArray(cur) || typeof cur === 'string') {
      const i = int(k);
      if (i < 0 || i >= cur.length) throw new Error(`index out of range: ${i}`);
      cur = Array.isArray(cur) ? cur[i] : cur.charCodeAt(i);
    } else cur = (cur as Record<string, unknown>)[str(k)];
  }
  return cur;
}

function len(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (v && typeof v === 'object') return Object.keys(v).length;
  throw new Error(`len of ${goString(v)}`);
}

/** kube-burner's GetSubnet24: the n-th /24 subnet, e.g. 0 → 1.0.0.0/24. */
function getSubnet24(n: unknown): string {
  const i = int(n);
  return `${Math.floor(i / 65536) + 1}.${Math.floor(i / 256) % 256}.${i % 256}.0/24`;
}

export const builtinFuncs: Record<string, TemplateFn> = {
  // Go text/template builtins
  and: (...a) => a.find((x) => !truthy(x)) ?? a[a.length - 1],
  or: (...a) => a.find((x) => truthy(x)) ?? a[a.length - 1],
  not: (a) => !truthy(a),
  len,
  index,
  print: (...a) =>
    a
      .map((x, i) => (i > 0 && typeof x !== 'string' && typeof a[i - 1] !== 'string' ? ' ' : '') + str(x))
      .join(''),
  println: (...a) => a.map(str).join(' ') + '\n',
  printf: (f, ...a) => sprintf(str(f), ...a),
  eq: (a, ...b) => eq(a, ...b),
  ne: (a, b) => !eq(a, b),
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  urlquery: (...a) => encodeURIComponent(a.map(str).join('')),
  // sprig: maths
  add: (...a) => a.reduce<number>((s, x) => s + num(x), 0),
  add1: (a) => num(a) + 1,
  sub: (a, b) => num(a) - num(b),
  mul: (...a) => a.reduce<number>((s, x) => s * num(x), 1),
  div: (a, b) => Math.trunc(num(a) / num(b)),
  mod: (a, b) => int(a) % int(b),
  max: (...a) => Math.max(...a.map(num)),
  min: (...a) => Math.min(...a.map(num)),
  addf: (...a) => a.reduce<number>((s, x) => s + num(x), 0),
  mulf: (...a) => a.reduce<number>((s, x) => s * num(x), 1),
  divf: (a, b) => num(a) / num(b),
  floor: (a) => Math.floor(num(a)),
  ceil: (a) => Math.ceil(num(a)),
  round: (a) => Math.round(num(a)),
  atoi: (a) => int(a),
  int: (a) => int(a),
  int64: (a) => int(a),
  float64: (a) => num(a),
  toString: (a: unknown) => str(a),
  // sprig: defaults and logic
  default: (d, v) => (truthy(v) ? v : d),
  empty: (v) => !truthy(v),
  coalesce: (...a) => a.find(truthy),
  ternary: (a, b, c) => (truthy(c) ? a : b),
  // sprig: strings
  quote: (...a) => a.map((x) => JSON.stringify(str(x))).join(' '),
  squote: (...a) => a.map((x) => `'${str(x)}'`).join(' '),
  upper: (s) => str(s).toUpperCase(),
  lower: (s) => str(s).toLowerCase(),
  title: (s) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  trim: (s) => str(s).trim(),
  trimPrefix: (p, s) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)),
  trimSuffix: (p, s) => (str(s).endsWith(str(p)) && str(p) ? str(s).slice(0, -str(p).length) : str(s)),
  trimAll: (c, s) => str(s).replace(new RegExp(`^[${escapeRe(str(c))}]+|[${escapeRe(str(c))}]+$`, 'g'), ''),
  replace: (o, n, s) => str(s).split(str(o)).join(str(n)),
  contains: (sub, s) => str(s).includes(str(sub)),
  hasPrefix: (p, s) => str(s).startsWith(str(p)),
  hasSuffix: (p, s) => str(s).endsWith(str(p)),
  repeat: (n, s) => str(s).repeat(Math.max(0, int(n))),
  trunc: (n, s) => (int(n) >= 0 ? str(s).slice(0, int(n)) : str(s).slice(int(n))),
  substr: (a, b, s) => str(s).slice(int(a), int(b) < 0 ? undefined : int(b)),
  indent,
  nindent: (n, s) => '\n' + indent(n, s),
  cat: (...a) =>
    a
      .filter((x) => x !== null && x !== undefined)
      .map(str)
      .join(' '),
  join: (sep, l) => (Array.isArray(l) ? l.map(str).join(str(sep)) : str(l)),
  split: (sep, s) =>
    Object.fromEntries(
      str(s)
        .split(str(sep))
        .map((p, i) => [`_${i}`, p]),
    ),
  splitList: (sep, s) => str(s).split(str(sep)),
  toJson: (v) => JSON.stringify(v ?? null),
  toYaml,
  fromJson: (s) => JSON.parse(str(s)),
  b64enc: (s) => Buffer.from(str(s)).toString('base64'),
  b64dec: (s) => Buffer.from(str(s), 'base64').toString('utf8'),
  sha256sum: (s) => createHash('sha256').update(str(s)).digest('hex'),
  sha1sum: (s) => createHash('sha1').update(str(s)).digest('hex'),
  randAlphaNum: (n) => rand(n, alnum),
  randAlpha: (n) => rand(n, alpha),
  randNumeric: (n) => rand(n, digits),
  randInt: (lo, hi) => int(lo) + Math.floor(Math.random() * (int(hi) - int(lo))),
  uuidv4: () => randomUUID(),
  // sprig: lists and dicts
  list: (...a) => a,
  until,
  untilStep,
  seq,
  first: (l) => (Array.isArray(l) ? l[0] : undefined),
  last: (l) => (Array.isArray(l) ? l[l.length - 1] : undefined),
  rest: (l) => (Array.isArray(l) ? l.slice(1) : []),
  initial: (l) => (Array.isArray(l) ? l.slice(0, -1) : []),
  append: (l, v) => [...(Array.isArray(l) ? l : []), v],
  concat: (...ls) => ls.flatMap((l) => (Array.isArray(l) ? l : [])),
  has: (v, l) => Array.isArray(l) && l.some((x) => eq(x, v)),
  uniq: (l) => (Array.isArray(l) ? [...new Set(l)] : []),
  dict,
  get: (d, k) => (d as Record<string, unknown>)?.[str(k)] ?? '',
  set: (d, k, v) => (((d as Record<string, unknown>)[str(k)] = v), d),
  hasKey: (d, k) => !!d && typeof d === 'object' && str(k) in (d as object),
  keys: (...ds) => ds.flatMap((d) => Object.keys((d as object) ?? {})),
  values: (d) => Object.values((d as object) ?? {}),
  // kube-burner extras
  Binomial: binomial,
  GetSubnet24: getSubnet24,
};

function escapeRe(s: string): string {
  return s.replace(/[\\\]^-]/g, '\\$&');
}
