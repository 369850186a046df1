/**
 * Kubernetes resource quantities (`100m`, `1.5Gi`, `2e3`), enough to compare and to reject what the
 * real decoder rejects.
 */
const quantityRe = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

const suffixes: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value in base units, or undefined when the text is not a quantity. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = quantityRe.exec(v.trim());
  if (!m) return undefined;
  const num = Number(m[1]);
  if (!Number.isFinite(num) || (m[1]!.match(/\./g)?.length ?? 0) > 1) return undefined;
  const suffix = m[2]!;
  if (suffix in suffixes) return num * suffixes[suffix]!;
  const exp = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
  return exp ? num * 10 ** Number(exp[1]) : undefined;
}

export const quantityFormatError =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** Text of a quantity as given (the canonical form for the usual inputs). */
export const quantityText = (v: unknown): string => (typeof v === 'number' ? String(v) : String(v ?? ''));
