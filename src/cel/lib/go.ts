/**
 * Small pieces of Go's standard library that Kubernetes' CEL libraries put into their error
 * messages and results, so kubeperf reports the same text kro and kube-apiserver would.
 */

/** The escapes of strconv.Quote that have a letter (cel-go's strings.quote uses the same). */
export const goEscapes: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/** strconv.Quote: a double-quoted Go string literal (printable Unicode kept as is). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const esc = goEscapes[ch];
    if (esc) out += esc;
    else {
      const c = ch.codePointAt(0)!;
      if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
      else if (c >= 0x80 && c < 0xa0) out += `\\u${c.toString(16).padStart(4, '0')}`;
      else out += ch;
    }
  }
  return out + '"';
}

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;
export const UINT64_MAX = 18446744073709551615n;

export const inInt64 = (v: bigint): boolean => v >= INT64_MIN && v <= INT64_MAX;

/** strconv.ParseUint(s, 10, 64) with Go's error text. */
export function parseUint64(s: string): bigint {
  if (!/^[0-9]+$/.test(s)) throw new Error(`strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax`);
  const v = BigInt(s);
  if (v > UINT64_MAX) throw new Error(`strconv.ParseUint: parsing ${goQuote(s)}: value out of range`);
  return v;
}

const POW10 = Array.from({ length: 32 }, (_v, i) => Number(`1e${i}`));
const POW10_32 = Array.from({ length: 10 }, (_v, i) => Number(`1e${i * 32}`));
const POW10_NEG32 = Array.from({ length: 11 }, (_v, i) => Number(`1e-${i * 32}`));

/** math.Pow10 (table-based, so results match Go bit for bit). */
export function pow10(n: number): number {
  if (n >= 0 && n <= 308) return POW10_32[Math.floor(n / 32)]! * POW10[n % 32]!;
  if (n < 0 && n >= -323) return POW10_NEG32[Math.floor(-n / 32)]! / POW10[-n % 32]!;
  return n > 0 ? Infinity : 0;
}
