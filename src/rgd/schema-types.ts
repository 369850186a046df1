/**
 * The declared CEL type of the `schema` variable, from the instance OpenAPI schema, so expressions
 * are type-checked against the SimpleSchema the way kro checks them against the generated CRD.
 */
import type { FieldTypes } from '../cel/engine.js';
import type { OpenApiSchema } from './simpleschema.js';

const SCALAR_TYPES: Record<string, string> = {
  string: 'string',
  integer: 'int',
  number: 'double',
  boolean: 'bool',
};

/** cel-js type of an OpenAPI schema: scalars, list<T>/map<string, T> of scalars, nested objects; else dyn. */
function celType(s: OpenApiSchema): string | FieldTypes {
  if (s.type && SCALAR_TYPES[s.type]) return SCALAR_TYPES[s.type]!;
  if (s.type === 'array') {
    const item = s.items ? celType(s.items) : 'dyn';
    return `list<${typeof item === 'string' ? item : 'dyn'}>`;
  }
  if (s.type === 'object') {
    if (s.properties && Object.keys(s.properties).length > 0) {
      const out: FieldTypes = {};
      for (const [k, v] of Object.entries(s.properties)) out[k] = celType(v);
      return out;
    }
    if (s.additionalProperties) {
      const v = celType(s.additionalProperties);
      return `map<string, ${typeof v === 'string' ? v : 'dyn'}>`;
    }
    return 'map<string, dyn>';
  }
  return 'dyn';
}

/** Declared type of the `schema` variable: the instance without status (kro's view). */
export function schemaFieldTypes(spec: OpenApiSchema): FieldTypes {
  const specType = celType(spec);
  return {
    apiVersion: 'string',
    kind: 'string',
    metadata: 'map<string, dyn>',
    spec: specType,
  };
}
