/**
 * Kubernetes resource.Quantity (k8s.io/apimachinery/pkg/api/resource) for the CEL quantity library:
 * the same scanner, the same errors, and the same two internal forms. Go keeps a quantity either as
 * an int64 scaled by 10^scale or as an arbitrary-precision decimal (inf.Dec); `isInteger()` and
 * `asInteger()` only succeed on the int64 form with a non-negative scale, so `quantity("1000m")`
 * is not an integer in Kubernetes and is not one here either. Values are exact (bigint mantissa).
 */
import { INT64_MAX, inInt64, pow10 } from './go.js';

const SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

type Format = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

const DEC_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BIN_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DEC_SUFFIX_BY_EXP: Record<number, string> = Object.fromEntries(
  Object.entries(DEC_SUFFIXES).map(([k, v]) => [v, k]),
);
const NANO = -9;
const MAX_INT64_FACTORS = 18;

export class Quantity {
  constructor(
    /** value = mantissa × 10^exponent, exactly. */
    readonly mantissa: bigint,
    readonly exponent: number,
    /** Go's inf.Dec form (true) or int64Amount form (false). */
    readonly dec: boolean,
    /** The suffix family it was written in; String() writes it back in the same family. */
    readonly format: Format = 'DecimalSI',
  ) {}

  /** Quantity.String(): canonical form (largest suffix of the same family that keeps it exact). */
  toString(): string {
    if (this.mantissa === 0n) return '0';
    let m = this.mantissa;
    let e = this.exponent;
    while (m % 10n === 0n) {
      m /= 10n;
      e++;
    }
    if (this.format === 'BinarySI' && e >= 0) {
      let v = m * 10n ** BigInt(e);
      if (v <= -1024n || v >= 1024n) {
        let k = 0;
        while (k < 6 && v % 1024n === 0n) {
          v /= 1024n;
          k++;
        }
        return `${v}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][k]}`;
      }
    }
    // Otherwise decimal: an exponent that is a multiple of 3 at or below e (n at the smallest).
    const k = Math.min(18, Math.floor(e / 3) * 3);
    const digits = m * 10n ** BigInt(e - k);
    const suffix = this.format === 'DecimalExponent' ? (k === 0 ? '' : `e${k}`) : DEC_SUFFIX_BY_EXP[k]!;
    return `${digits}${suffix}`;
  }

  toJSON(): string {
    return this.toString();
  }

  sign(): bigint {
    return this.mantissa > 0n ? 1n : this.mantissa < 0n ? -1n : 0n;
  }

  cmp(o: Quantity): number {
    const e = Math.min(this.exponent, o.exponent);
    const a = this.mantissa * 10n ** BigInt(this.exponent - e);
    const b = o.mantissa * 10n ** BigInt(o.exponent - e);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Quantity.AsInt64: only the int64 form with scale ≥ 0 that fits. */
  asInt64(): bigint | undefined {
    if (this.dec || this.exponent < 0) return undefined;
    const v = this.mantissa * 10n ** BigInt(this.exponent);
    return inInt64(v) ? v : undefined;
  }

  /** Quantity.AsApproximateFloat64: float(mantissa) × math.Pow10(exponent). */
  asApproximateFloat(): number {
    const base = Number(this.mantissa);
    return this.exponent === 0 ? base : base * pow10(this.exponent);
  }

  /** Quantity.Add: int64 arithmetic while it fits, else the decimal form (exact either way). */
  add(o: Quantity): Quantity {
    if (!this.dec && !o.dec) {
      const r = addInt64(this, o);
      if (r) return r;
    }
    return addDec(this, o);
  }

  sub(o: Quantity): Quantity {
    // Go negates the int64 value of the operand (int64Amount.Sub) before adding.
    return this.add(new Quantity(-o.mantissa, o.exponent, o.dec, o.format));
  }

  /** resource.NewQuantity(v, DecimalExponent), as the library's add(int)/sub(int) build it. */
  static fromInt(v: bigint): Quantity {
    return new Quantity(v, 0, false, 'DecimalExponent');
  }
}

function addInt64(a: Quantity, b: Quantity): Quantity | undefined {
  if (b.mantissa === 0n) return a;
  if (a.mantissa === 0n) return b; // Go also takes the format of the operand when the receiver is zero
  if (!inInt64(b.mantissa)) return undefined;
  let av = a.mantissa;
  let bv = b.mantissa;
  const scale = Math.min(a.exponent, b.exponent);
  if (a.exponent > b.exponent) av = a.mantissa * 10n ** BigInt(a.exponent - b.exponent);
  else if (b.exponent > a.exponent) bv = b.mantissa * 10n ** BigInt(b.exponent - a.exponent);
  if (!inInt64(av) || !inInt64(bv)) return undefined;
  const sum = av + bv;
  return inInt64(sum) ? new Quantity(sum, scale, false, a.format) : undefined;
}

function addDec(a: Quantity, b: Quantity): Quantity {
  const e = Math.min(a.exponent, b.exponent);
  const sum = a.mantissa * 10n ** BigInt(a.exponent - e) + b.mantissa * 10n ** BigInt(b.exponent - e);
  return new Quantity(sum, e, true, a.mantissa === 0n ? b.format : a.format);
}

interface Scanned {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** parseQuantityString: Go's hand-written scanner, byte for byte. */
function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') pos++;
  }
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[i] === '0') pos++;
    else break;
  }
  let num: string;
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  num = str.slice(pos, i);
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    let j = pos;
    while (j < end && isDigit(str[j])) j++;
    if (j >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
    denom = str.slice(pos, j);
    pos = j;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  let k = pos;
  while (k < end && 'eEinumkKMGTP'.includes(str[k]!)) k++;
  if (k >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  pos = k;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  let m = pos;
  while (m < end && isDigit(str[m])) m++;
  if (m >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  throw new Error(ERR_FORMAT_WRONG);
}

function interpret(suffix: string): { base: 10 | 2; exponent: number; format: Format } | undefined {
  if (suffix in DEC_SUFFIXES) return { base: 10, exponent: DEC_SUFFIXES[suffix]!, format: 'DecimalSI' };
  if (suffix in BIN_SUFFIXES) return { base: 2, exponent: BIN_SUFFIXES[suffix]!, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'E' || suffix[0] === 'e')) {
    const rest = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined;
    const n = BigInt(rest);
    if (!inInt64(n)) return undefined;
    // Go stores it in an int32 (wrapping).
    return { base: 10, exponent: Number(BigInt.asIntN(32, n)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** resource.ParseQuantity; throws Error with apimachinery's message. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new Error(ERR_FORMAT_WRONG);
  if (str === '0') return new Quantity(0n, 0, false);
  const { positive, value, num, denom, suffix } = scan(str);
  const s = interpret(suffix);
  if (!s) throw new Error(ERR_SUFFIX);

  let precision = 0;
  let scale = 0;
  let mantissa = 1n;
  if (s.format === 'BinarySI') {
    if (s.exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(s.exponent);
      precision = 15 - num.length - Math.trunc((s.exponent * 3) / 10) - 1;
    } else precision = -1;
  } else {
    scale = s.exponent;
    precision = MAX_INT64_FACTORS - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= NANO) {
      const shifted = BigInt(num + denom);
      if (!inInt64(shifted)) throw new Error(ERR_NUMERIC);
      const result = shifted * mantissa;
      if (inInt64(result)) return new Quantity(positive ? result : -result, scale, false, s.format);
    }
  }

  // inf.Dec path: exact decimal, suffix folded in, rounded up (away from zero) to nano precision.
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value);
  if (!m || (m[2]! + (m[3] ?? '')).length === 0) throw new Error(ERR_NUMERIC);
  let unscaled = BigInt(m[2]! + (m[3] ?? '') || '0');
  let exp = -(m[3]?.length ?? 0);
  if (s.base === 10) exp += s.exponent;
  else unscaled *= 1n << BigInt(s.exponent);
  if (unscaled !== 0n) {
    // inf.Dec.Round(…, Nano, RoundUp) leaves every non-zero value at scale 9.
    if (exp < NANO) {
      const div = 10n ** BigInt(NANO - exp);
      unscaled = unscaled / div + (unscaled % div === 0n ? 0n : 1n);
    } else unscaled *= 10n ** BigInt(exp - NANO);
    exp = NANO;
    if (s.format === 'BinarySI' && unscaled > INT64_MAX * 10n ** BigInt(-NANO)) {
      unscaled = INT64_MAX; // maxAllowed is inf.NewDec(MaxInt64, 0)
      exp = 0;
    }
  }
  // A BinarySI value between 0 and 1 is written as DecimalSI (as ParseQuantity switches it).
  const tiny = s.format === 'BinarySI' && unscaled !== 0n && unscaled < 10n ** BigInt(-exp);
  return new Quantity(m[1] === '-' ? -unscaled : unscaled, exp, true, tiny ? 'DecimalSI' : s.format);
}
