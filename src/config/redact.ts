/**
 * results.json keeps the study config for reproducibility, but never credentials: values under
 * sensitive-looking keys are replaced, and environment references are kept unexpanded (see load.ts).
 */
const sensitive = /(token|password|passwd|secret|credential|apikey|api_key|bearer|private[-_]?key)/i;

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        sensitive.test(k) && (typeof v === 'string' || typeof v === 'number') ? '[redacted]' : redact(v);
    }
    return out;
  }
  return value;
}
