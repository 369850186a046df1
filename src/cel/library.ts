/**
 * kro / Kubernetes CEL library functions that @marcbachmann/cel-js lacks, registered on an
 * Environment. Namespaced functions (json.marshal, random.seededString…) are methods on a constant
 * of a private type, because the library has no namespace-qualified function names.
 * What cannot be added from outside is listed in UNSUPPORTED_CEL (docs/rgd.md prints it).
 */
import { createHash } from 'node:crypto';
import type { Environment } from '@marcbachmann/cel-js';

/** Functions kro enables that this adapter does not provide, for docs and `rgd inspect` warnings. */
export const UNSUPPORTED_CEL: readonly { name: string; why: string }[] = [
  { name: 'two-variable comprehensions (all(k, v, …), transformList, transformMap)', why: 'parser macro' },
  { name: 'has() through an index (has(a.b[0].c))', why: 'library limitation; use a.b[0].?c.hasValue()' },
  { name: 'optional literal entries [?x], {?k: v}, optMap, optFlatMap', why: 'parser feature' },
  { name: 'quantity(), isQuantity()', why: 'Kubernetes quantity library not ported' },
  { name: 'url(), isURL()', why: 'Kubernetes URL library not ported' },
  { name: 'ip(), cidr(), isIP(), isCIDR()', why: 'Kubernetes IP/CIDR library not ported' },
  { name: 'semver(), isSemver()', why: 'Kubernetes semver library not ported' },
  { name: 'omit()', why: 'behind kro feature gate CELOmitFunction (default off)' },
  { name: 'runtime.newCondition(), runtime.condition()', why: 'status.conditions block only; not evaluated' },
  { name: 'mixed numeric equality on literals (1.0 == 1)', why: 'library limitation' },
];

function namespace(env: Environment, name: string): string {
  const typeName = `kubeperf.${name}Namespace`;
  class Ns {}
  Object.defineProperty(Ns, 'name', { value: typeName });
  env.registerType(typeName, Ns);
  env.registerConstant(name, typeName, new Ns());
  return typeName;
}

const toNum = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));

/** JSON.stringify that writes CEL ints (bigint) as numbers and Maps as objects, keys sorted like Go. */
export function celToJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return Number(x);
    if (x instanceof Map) return Object.fromEntries(x);
    if (x instanceof Uint8Array) return Buffer.from(x).toString('base64');
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) sorted[k] = (x as Record<string, unknown>)[k];
      return sorted;
    }
    return x;
  });
}

/** cel-go ext.Strings `format`: %s %d %f %.Nf %e %x %X %o %b %%. */
export function formatString(fmt: string, args: readonly unknown[]): string {
  let i = 0;
  return fmt.replace(/%(\.\d+)?([sdfexXob%])/g, (_m, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) throw new Error(`index ${i} out of range`);
    const a = args[i++];
    const digits = prec ? Number(prec.slice(1)) : 6;
    switch (verb) {
      case 's':
        return typeof a === 'string' ? a : typeof a === 'bigint' ? a.toString() : celToJson(a);
      case 'd':
        return typeof a === 'bigint' ? a.toString() : String(Math.trunc(toNum(a)));
      case 'f':
        return toNum(a).toFixed(digits);
      case 'e':
        return toNum(a)
          .toExponential(digits)
          .replace(/e([+-])(\d)$/, 'e$10$2');
      case 'x':
      case 'X': {
        const s =
          typeof a === 'string'
            ? Buffer.from(a).toString('hex')
            : (typeof a === 'bigint' ? a : BigInt(toNum(a))).toString(16);
        return verb === 'X' ? s.toUpperCase() : s;
      }
      case 'o':
        return (typeof a === 'bigint' ? a : BigInt(toNum(a))).toString(8);
      default:
        return (typeof a === 'bigint' ? a : BigInt(toNum(a))).toString(2);
    }
  });
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      prev &&
      v &&
      typeof prev === 'object' &&
      typeof v === 'object' &&
      !Array.isArray(prev) &&
      !Array.isArray(v)
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** Deterministic string from a seed (kro random.seededString): sha256 stream over [a-z0-9]. */
function seededString(n: number, seed: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  let block = 0;
  while (out.length < n) {
    const digest = createHash('sha256').update(`${seed}:${block++}`).digest();
    for (const byte of digest) {
      if (out.length >= n) break;
      out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

function listIndex(list: readonly unknown[], i: bigint, inclusiveEnd: boolean): number {
  const n = Number(i);
  if (n < 0 || n > list.length - (inclusiveEnd ? 0 : 1)) throw new Error(`index out of bounds: ${n}`);
  return n;
}

const compare = (a: unknown, b: unknown): number =>
  (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;

export function registerKroLibrary(env: Environment): Environment {
  // cel-go ext.Strings
  env
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) =>
      s.split(a).join(b),
    )
    .registerFunction(
      'string.replace(string, string, int): string',
      (s: string, a: string, b: string, n: bigint) => {
        let count = Number(n);
        if (count < 0) return s.split(a).join(b);
        let out = '';
        let rest = s;
        while (count-- > 0) {
          const at = rest.indexOf(a);
          if (at < 0) break;
          out += rest.slice(0, at) + b;
          rest = rest.slice(at + a.length);
        }
        return out + rest;
      },
    )
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
      const cps = [...s];
      const n = Number(i);
      if (n < 0 || n > cps.length) throw new Error(`index out of range: ${n}`);
      return cps[n] ?? '';
    })
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
    .registerFunction('string.format(list): string', (s: string, args: unknown[]) => formatString(s, args))
    // Kubernetes regex library
    .registerFunction(
      'string.find(string): string',
      (s: string, re: string) => new RegExp(re).exec(s)?.[0] ?? '',
    )
    .registerFunction('string.findAll(string): list<string>', (s: string, re: string) =>
      [...s.matchAll(new RegExp(re, 'g'))].map((m) => m[0]),
    )
    // Kubernetes lists library + cel-go ext.Lists methods
    .registerFunction('list.isSorted(): bool', (l: unknown[]) =>
      l.every((v, i) => i === 0 || compare(l[i - 1], v) <= 0),
    )
    .registerFunction('list.sum(): dyn', (l: unknown[]) =>
      l.length === 0 ? 0n : l.reduce((a, b) => (a as number) + (b as number)),
    )
    .registerFunction('list.min(): dyn', (l: unknown[]) => {
      if (l.length === 0) throw new Error('min called on empty list');
      return l.reduce((a, b) => (compare(b, a) < 0 ? b : a));
    })
    .registerFunction('list.max(): dyn', (l: unknown[]) => {
      if (l.length === 0) throw new Error('max called on empty list');
      return l.reduce((a, b) => (compare(b, a) > 0 ? b : a));
    })
    .registerFunction('list.indexOf(dyn): int', (l: unknown[], v: unknown) => BigInt(l.indexOf(v)))
    .registerFunction('list.lastIndexOf(dyn): int', (l: unknown[], v: unknown) => BigInt(l.lastIndexOf(v)))
    .registerFunction('list.slice(int, int): list', (l: unknown[], a: bigint, b: bigint) => {
      if (a < 0n || b > BigInt(l.length) || a > b)
        throw new Error(`cannot slice(${a}, ${b}), index out of bounds`);
      return l.slice(Number(a), Number(b));
    })
    .registerFunction('list.flatten(): list', (l: unknown[]) =>
      l.flatMap((x) => (Array.isArray(x) ? x : [x])),
    )
    .registerFunction('list.distinct(): list', (l: unknown[]) => [...new Set(l)])
    .registerFunction('list.reverse(): list', (l: unknown[]) => [...l].reverse())
    .registerFunction('list.sort(): list', (l: unknown[]) => [...l].sort(compare));

  const lists = namespace(env, 'lists');
  env
    .registerFunction(`${lists}.range(int): list<int>`, (_: unknown, n: bigint) =>
      Array.from({ length: Number(n) }, (_v, i) => BigInt(i)),
    )
    .registerFunction(
      `${lists}.setAtIndex(list, int, dyn): list`,
      (_: unknown, l: unknown[], i: bigint, v: unknown) => {
        const out = [...l];
        out[listIndex(l, i, false)] = v;
        return out;
      },
    )
    .registerFunction(
      `${lists}.insertAtIndex(list, int, dyn): list`,
      (_: unknown, l: unknown[], i: bigint, v: unknown) => {
        const out = [...l];
        out.splice(listIndex(l, i, true), 0, v);
        return out;
      },
    )
    .registerFunction(`${lists}.removeAtIndex(list, int): list`, (_: unknown, l: unknown[], i: bigint) => {
      const out = [...l];
      out.splice(listIndex(l, i, false), 1);
      return out;
    });

  const strings = namespace(env, 'strings');
  env.registerFunction(`${strings}.quote(string): string`, (_: unknown, s: string) => JSON.stringify(s));

  const base64 = namespace(env, 'base64');
  env
    .registerFunction(`${base64}.encode(bytes): string`, (_: unknown, b: Uint8Array) =>
      Buffer.from(b).toString('base64'),
    )
    .registerFunction(
      `${base64}.decode(string): bytes`,
      (_: unknown, s: string) => new Uint8Array(Buffer.from(s, 'base64')),
    );

  // kro libraries (pkg/cel/library)
  const random = namespace(env, 'random');
  env
    .registerFunction(`${random}.seededString(int, string): string`, (_: unknown, n: bigint, seed: string) =>
      seededString(Number(n), seed),
    )
    .registerFunction(
      `${random}.seededInt(int, int, string): int`,
      (_: unknown, min: bigint, max: bigint, seed: string) => {
        if (max <= min) throw new Error('max must be greater than min');
        const digest = createHash('sha256').update(seed).digest();
        return min + (digest.readBigUInt64BE(0) % (max - min));
      },
    );
  env
    .registerFunction('map.merge(map): map', (a: Record<string, unknown>, b: Record<string, unknown>) => ({
      ...a,
      ...b,
    }))
    .registerFunction('map.deepMerge(map): map', deepMerge);
  const json = namespace(env, 'json');
  env
    .registerFunction(`${json}.marshal(dyn): string`, (_: unknown, v: unknown) => celToJson(v))
    .registerFunction(`${json}.unmarshal(string): dyn`, (_: unknown, s: string) => JSON.parse(s));
  const hash = namespace(env, 'hash');
  for (const [fn, algo] of [
    ['sha256', 'sha256'],
    ['md5', 'md5'],
  ] as const) {
    env.registerFunction(
      `${hash}.${fn}(string): bytes`,
      (_: unknown, s: string) => new Uint8Array(createHash(algo).update(s).digest()),
    );
  }
  env.registerFunction(`${hash}.fnv64a(string): bytes`, (_: unknown, s: string) => {
    let h = 0xcbf29ce484222325n;
    for (const byte of Buffer.from(s)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
    const out = Buffer.alloc(8);
    out.writeBigUInt64BE(h);
    return new Uint8Array(out);
  });
  return env;
}

/** Identifiers that name library namespaces, never variables (dependency extraction skips them). */
export const LIBRARY_NAMESPACES: ReadonlySet<string> = new Set([
  'lists',
  'strings',
  'base64',
  'random',
  'json',
  'hash',
  'cel',
  'optional',
  'math',
]);
