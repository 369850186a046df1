/**
 * cel-go extension functions (github.com/google/cel-go/ext) that @marcbachmann/cel-js lacks:
 * Strings (replace, charAt, reverse, format, strings.quote), Lists (slice, flatten, sort, sortBy,
 * lists.range, reverse, distinct), Encoders (base64), Sets, TwoVarComprehensions and the optional
 * helpers (optMap, optFlatMap, optional.ofNonZeroValue). Messages follow cel-go's.
 */
import { Optional, type Environment } from '@marcbachmann/cel-js';
import { DurationCtor, UIntCtor, celEquals, isMapValue } from './compare.js';
import { goEscapes } from './go.js';
import {
  registerNamespaced,
  registerOptionalMacros,
  registerSortBy,
  registerTwoVarComprehensions,
  sortByKeys,
} from './macros.js';

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

/** cel-go strings.quote: only the escapes of goEscapes; other characters are written as they are. */
export function celQuote(s: string): string {
  let out = '"';
  // A lone surrogate is invalid UTF-8 in Go: cel-go writes U+FFFD for it.
  for (const ch of s) out += goEscapes[ch] ?? (ch.length === 1 && /[\ud800-\udfff]/.test(ch) ? '\ufffd' : ch);
  return out + '"';
}

function registerStrings(env: Environment): void {
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
    .registerFunction('string.format(list): string', (s: string, args: unknown[]) => formatString(s, args));
  registerNamespaced(env, 'strings', 'quote', [
    { params: ['string'], returns: 'string', handler: celQuote as never },
  ]);
}

function flatten(list: unknown[], depth: number): unknown[] {
  if (depth < 0) throw new Error('level must be non-negative');
  const out: unknown[] = [];
  for (const v of list) {
    if (Array.isArray(v) && depth > 0) out.push(...flatten(v, depth - 1));
    else out.push(v);
  }
  return out;
}

const MAX_RANGE = 10_000_000;

function registerLists(env: Environment): void {
  env
    .registerFunction('list.slice(int, int): list', (l: unknown[], a: bigint, b: bigint) => {
      if (a < 0n || b < 0n) throw new Error(`cannot slice(${a}, ${b}), negative indexes not supported`);
      if (a > b)
        throw new Error(`cannot slice(${a}, ${b}), start index must be less than or equal to end index`);
      if (BigInt(l.length) < b) throw new Error(`cannot slice(${a}, ${b}), list is length ${l.length}`);
      return l.slice(Number(a), Number(b));
    })
    .registerFunction('list.flatten(): list', (l: unknown[]) => flatten(l, 1))
    .registerFunction('list.flatten(int): list', (l: unknown[], d: bigint) => flatten(l, Number(d)))
    .registerFunction('list.distinct(): list', (l: unknown[]) => {
      const out: unknown[] = [];
      for (const v of l) if (!out.some((u) => celEquals(u, v))) out.push(v);
      return out;
    })
    .registerFunction('list.reverse(): list', (l: unknown[]) => [...l].reverse())
    .registerFunction('list.sort(): list', (l: unknown[]) => sortByKeys(l, l));
  registerSortBy(env);
  registerNamespaced(env, 'lists', 'range', [
    {
      params: ['int'],
      returns: 'list<int>',
      handler: ((n: bigint) => {
        if (n < 0n) throw new Error(`lists.range: size must be non-negative, got ${n}`);
        if (n > BigInt(MAX_RANGE))
          throw new Error(`lists.range: size ${n} exceeds maximum allowed (${MAX_RANGE})`);
        return Array.from({ length: Number(n) }, (_v, i) => BigInt(i));
      }) as never,
    },
  ]);
}

function registerEncoders(env: Environment): void {
  registerNamespaced(env, 'base64', 'encode', [
    {
      params: ['bytes'],
      returns: 'string',
      handler: ((b: Uint8Array) => Buffer.from(b).toString('base64')) as never,
    },
  ]);
  registerNamespaced(env, 'base64', 'decode', [
    {
      params: ['string'],
      returns: 'bytes',
      handler: ((s: string) => {
        // Go's base64.StdEncoding (with a RawStdEncoding retry, as cel-go does) rejects what Node tolerates.
        if (
          !/^[A-Za-z0-9+/]*={0,2}$/.test(s) ||
          (s.includes('=') ? s.length % 4 !== 0 : s.length % 4 === 1)
        ) {
          throw new Error(`illegal base64 data at input byte ${Math.max(0, s.search(/[^A-Za-z0-9+/=]/))}`);
        }
        return new Uint8Array(Buffer.from(s, 'base64'));
      }) as never,
    },
  ]);
}

/** Zero values for optional.ofNonZeroValue. */
function isZero(v: unknown): boolean {
  if (v === null || v === false || v === 0n || v === 0 || v === '') return true;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (isMapValue(v)) return (v instanceof Map ? v.size : Object.keys(v).length) === 0;
  if (v instanceof UIntCtor) return (v as { valueOf(): bigint }).valueOf() === 0n;
  if (v instanceof DurationCtor) {
    const d = v as { seconds: number; nanos: number };
    return Number(d.seconds) === 0 && d.nanos === 0;
  }
  if (v instanceof Date) return v.getTime() === 0;
  return false;
}

function registerOptional(env: Environment): void {
  registerOptionalMacros(env);
  registerNamespaced(env, 'optional', 'ofNonZeroValue', [
    {
      params: ['dyn'],
      returns: 'optional<dyn>',
      handler: ((v: unknown) => (isZero(v) ? Optional.none() : Optional.of(v))) as never,
    },
  ]);
}

/** cel-go ext.Sets (kube-apiserver enables it for CRD rules; kro does not). */
export function registerSets(env: Environment): void {
  const contains = (a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEquals(x, y)));
  const fns: [string, (a: unknown[], b: unknown[]) => boolean][] = [
    ['contains', contains],
    ['equivalent', (a, b) => contains(a, b) && contains(b, a)],
    ['intersects', (a, b) => a.some((x) => b.some((y) => celEquals(x, y)))],
  ];
  for (const [fn, handler] of fns) {
    registerNamespaced(env, 'sets', fn, [
      { params: ['list', 'list'], returns: 'bool', handler: handler as never },
    ]);
  }
}

export function registerCelGoExtensions(env: Environment): void {
  registerStrings(env);
  registerLists(env);
  registerEncoders(env);
  registerOptional(env);
  registerTwoVarComprehensions(env);
}
