/**
 * JSON ↔ CEL value conversion. JSON.parse yields JS numbers, which the CEL library reads as double;
 * kro/cel-go see Kubernetes integers as int. So integral numbers become BigInt, guided by the OpenAPI
 * schema where one is known (`type: number` stays double even when integral), and by the value
 * otherwise. Convert once per object snapshot, not per expression (≈7 µs for a typical spec).
 */

/** The subset of OpenAPI v3 the conversion looks at. */
export interface SchemaLike {
  type?: string;
  properties?: Record<string, SchemaLike>;
  items?: SchemaLike;
  additionalProperties?: SchemaLike | boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

export function toCelValue(value: unknown, schema?: SchemaLike): unknown {
  if (typeof value === 'number') {
    if (schema?.type === 'number') return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = schema?.items;
    return value.map((v) => toCelValue(v, items));
  }
  const out: Record<string, unknown> = {};
  const props = schema?.properties;
  const extra = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out[k] = toCelValue(v, props?.[k] ?? extra);
  return out;
}

/** CEL result → plain JSON value (bigint → number, Map → object, bytes → base64, Optional unwrapped). */
export function fromCelValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromCelValue);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Map)
    return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCelValue(v)]));
  if (value instanceof Date) return value.toISOString();
  // Library values (quantity, url, ip, cidr, semver) render as their Go String() form.
  const custom = value as { toJSON?: () => unknown };
  if (typeof custom.toJSON === 'function') return custom.toJSON();
  const maybeOptional = value as { hasValue?: () => boolean; value?: () => unknown };
  if (typeof maybeOptional.hasValue === 'function' && typeof maybeOptional.value === 'function') {
    return maybeOptional.hasValue() ? fromCelValue(maybeOptional.value()) : null;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = fromCelValue(v);
  return out;
}
