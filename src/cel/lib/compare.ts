/**
 * CEL equality and ordering over cel-js runtime values, as cel-go's Equal/Compare traits define
 * them (numbers compare across int/uint/double; lists and maps compare structurally; library
 * types compare with their own `equals`). Used by the list and set libraries.
 */
import { Environment } from '@marcbachmann/cel-js';

const probe = new Environment();
const UIntCtor = (probe.evaluate('1u') as object).constructor;
const DurationCtor = (probe.evaluate("duration('1s')") as object).constructor;

interface Equatable {
  equals(o: unknown): boolean;
}
export interface DurationLike {
  seconds: bigint | number;
  nanos: number;
}

function numeric(v: unknown): number | bigint | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (v instanceof UIntCtor) return (v as { valueOf(): bigint }).valueOf();
  return undefined;
}

function numCompare(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && Number.isNaN(a)) return NaN;
  if (typeof b === 'number' && Number.isNaN(b)) return NaN;
  return a < b ? -1 : a > b ? 1 : a == b ? 0 : NaN;
}

/** A cel-js duration in nanoseconds. */
export const durationNs = (d: DurationLike) => BigInt(d.seconds) * 1_000_000_000n + BigInt(d.nanos);

export function isMapValue(v: unknown): v is Record<string, unknown> | Map<unknown, unknown> {
  return v instanceof Map || (v !== null && typeof v === 'object' && (v as object).constructor === Object);
}

export function mapEntries(m: Record<string, unknown> | Map<unknown, unknown>): [unknown, unknown][] {
  return m instanceof Map ? [...m] : Object.entries(m);
}

export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined)
    return na !== undefined && nb !== undefined && numCompare(na, nb) === 0;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof Uint8Array)
    return b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof DurationCtor)
    return b instanceof DurationCtor && durationNs(a as DurationLike) === durationNs(b as DurationLike);
  if (isMapValue(a)) {
    if (!isMapValue(b)) return false;
    const ea = mapEntries(a);
    const eb = mapEntries(b);
    if (ea.length !== eb.length) return false;
    return ea.every(([k, v]) => eb.some(([k2, v2]) => celEquals(k, k2) && celEquals(v, v2)));
  }
  if (typeof (a as Equatable).equals === 'function' && a.constructor === b.constructor) {
    return (a as Equatable).equals(b);
  }
  return false;
}

/** CEL type name of a runtime value, for error messages. */
export function celTypeName(v: unknown): string {
  if (v === null) return 'null_type';
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      break;
  }
  if (v instanceof UIntCtor) return 'uint';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Date) return 'google.protobuf.Timestamp';
  if (v instanceof DurationCtor) return 'google.protobuf.Duration';
  if (isMapValue(v)) return 'map';
  return (v as object).constructor?.name ?? 'unknown';
}

/** Ordering of comparable CEL values (ints, uints, doubles, strings, bools, bytes, durations, timestamps). */
export function celCompare(a: unknown, b: unknown): number {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return numCompare(na, nb);
  if (typeof a === 'string' && typeof b === 'string') return codePointCompare(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a instanceof DurationCtor && b instanceof DurationCtor) {
    const x = durationNs(a as DurationLike);
    const y = durationNs(b as DurationLike);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  throw new Error(`no such overload: ${celTypeName(a)}.compare(${celTypeName(b)})`);
}

export function isComparable(v: unknown): boolean {
  return (
    numeric(v) !== undefined ||
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    v instanceof Uint8Array ||
    v instanceof Date ||
    v instanceof DurationCtor
  );
}

/** Go compares strings byte-wise (UTF-8), i.e. by code point; JS `<` compares UTF-16 units. */
function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : 1;
}

export { UIntCtor, DurationCtor };
