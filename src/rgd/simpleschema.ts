/**
 * kro SimpleSchema → OpenAPI v3 (pkg/simpleschema): `type | key=value key=value` (split on the FIRST
 * `|`, markers space-separated), `[]T`, `map[string]T`, nested maps as objects, custom `types`, every
 * marker, and the `default: {}` propagation on objects whose children have defaults and none is
 * required (that is how the API server materialises nested defaults).
 */

export interface OpenApiSchema {
  type?: string;
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  items?: OpenApiSchema;
  additionalProperties?: OpenApiSchema;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: { rule: string; message: string }[];
}

export class SimpleSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimpleSchemaError';
  }
}

const MAX_DEPTH = 16;
const KNOWN_MARKERS = new Set([
  'required',
  'default',
  'description',
  'minimum',
  'maximum',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'listType',
  'listMapKey',
  'immutable',
  'validation',
]);

export interface Marker {
  key: string;
  value: string;
}

/** Parse the marker text after the first `|`: space-separated key=value, values quoted or bracketed. */
export function parseMarkers(text: string): Marker[] {
  const out: Marker[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    // Like kro, the key runs up to the next '=' (so a stray second '|' becomes part of a key).
    let key = '';
    while (i < n && text[i] !== '=') key += text[i++];
    key = key.trim();
    if (text[i] !== '=') throw new SimpleSchemaError(`marker key '${key}' without a value`);
    i++;
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) {
          // kro's unescapeString: only \" and \\ are escapes; `\.` in a pattern keeps its backslash.
          const c = text[i + 1]!;
          value += c === '"' || c === '\\' ? c : `\\${c}`;
          i += 2;
        } else value += text[i++];
      }
      if (text[i] !== '"') throw new SimpleSchemaError(`unterminated quoted value for marker '${key}'`);
      i++;
    } else {
      let depth = 0;
      let inQuote = false;
      while (i < n && (depth > 0 || inQuote || !/\s/.test(text[i]!))) {
        const c = text[i]!;
        if (inQuote) {
          if (c === '\\') value += text[i++];
          else if (c === '"') inQuote = false;
        } else if (c === '"') inQuote = true;
        else if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') depth--;
        value += text[i++];
      }
    }
    if (!KNOWN_MARKERS.has(key)) throw new SimpleSchemaError(`unknown marker: ${key}`);
    if (value === '' && key !== 'default' && key !== 'description') {
      throw new SimpleSchemaError(`marker key '${key}' without a value`);
    }
    out.push({ key, value });
  }
  return out;
}

export interface ParsedField {
  schema: OpenApiSchema;
  required: boolean;
}

export class SimpleSchemaTransformer {
  private readonly resolved = new Map<string, ParsedField>();
  private readonly resolving: string[] = [];

  constructor(private readonly types: Record<string, unknown> = {}) {}

  /** Resolve every custom type first (cycle detection in declaration order). */
  resolveAllTypes(): void {
    for (const name of Object.keys(this.types)) this.customType(name);
  }

  private customType(name: string): ParsedField {
    const hit = this.resolved.get(name);
    if (hit) return hit;
    const at = this.resolving.indexOf(name);
    if (at >= 0) {
      const cycle = [...this.resolving.slice(at), name];
      throw new SimpleSchemaError(
        `cyclic dependency in type ${cycle[0]}: graph contains a cycle: ${cycle.join(' -> ')}`,
      );
    }
    if (!(name in this.types)) throw new SimpleSchemaError(`unknown type: ${name}`);
    this.resolving.push(name);
    try {
      const def = this.types[name];
      const field =
        typeof def === 'string' ? this.field(def, 0) : { schema: this.object(def, 0), required: false };
      this.resolved.set(name, field);
      return field;
    } finally {
      this.resolving.pop();
    }
  }

  /** Type expression (no markers) → schema. */
  typeSchema(type: string, depth: number): ParsedField {
    if (depth > MAX_DEPTH) throw new SimpleSchemaError(`type nesting exceeds ${MAX_DEPTH} levels: ${type}`);
    const t = type.trim();
    switch (t) {
      case 'string':
      case 'integer':
      case 'boolean':
        return { schema: { type: t }, required: false };
      case 'float':
      case 'number':
        return { schema: { type: 'number' }, required: false };
      case 'object':
        return { schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, required: false };
    }
    if (t.startsWith('[]')) {
      return {
        schema: { type: 'array', items: this.typeSchema(t.slice(2), depth + 1).schema },
        required: false,
      };
    }
    if (t.startsWith('map[')) {
      const close = t.indexOf(']');
      if (close < 0) throw new SimpleSchemaError(`invalid map type: ${t}`);
      const key = t.slice(4, close).trim();
      if (key !== 'string') throw new SimpleSchemaError(`map key must be string, got ${key}`);
      return {
        schema: {
          type: 'object',
          additionalProperties: this.typeSchema(t.slice(close + 1), depth + 1).schema,
        },
        required: false,
      };
    }
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(t)) throw new SimpleSchemaError(`unknown type: ${t}`);
    const custom = this.customType(t);
    return { schema: structuredClone(custom.schema), required: custom.required };
  }

  /** A field string: `type | markers`. */
  field(text: string, depth: number): ParsedField {
    const bar = text.indexOf('|');
    const typePart = bar < 0 ? text : text.slice(0, bar);
    const markers = bar < 0 ? [] : parseMarkers(text.slice(bar + 1));
    const parsed = this.typeSchema(typePart, depth);
    const schema = parsed.schema;
    let required = parsed.required;
    for (const { key, value } of markers) {
      switch (key) {
        case 'required':
          required = value === 'true';
          break;
        case 'default':
          schema.default = parseDefault(value, schema.type);
          break;
        case 'description':
          schema.description = value;
          break;
        case 'minimum':
        case 'maximum': {
          const v = Number.parseFloat(value);
          if (Number.isNaN(v)) throw new SimpleSchemaError(`failed to parse ${key} value '${value}'`);
          schema[key] = v;
          break;
        }
        case 'enum': {
          if (schema.type !== 'string' && schema.type !== 'integer') {
            throw new SimpleSchemaError(
              `enum is only supported for string and integer types, got ${schema.type}`,
            );
          }
          const parts = value.split(',').map((p) => p.trim());
          if (parts.some((p) => p === '')) throw new SimpleSchemaError('enum values cannot be empty');
          schema.enum = schema.type === 'integer' ? parts.map((p) => parseInteger(p, 'enum')) : parts;
          break;
        }
        case 'pattern':
          if (schema.type !== 'string')
            throw new SimpleSchemaError(`pattern is only supported for string types`);
          try {
            new RegExp(value);
          } catch {
            throw new SimpleSchemaError(`invalid pattern '${value}'`);
          }
          schema.pattern = value;
          break;
        case 'minLength':
        case 'maxLength':
          if (schema.type !== 'string')
            throw new SimpleSchemaError(`${key} is only supported for string types`);
          schema[key] = parseInteger(value, key);
          break;
        case 'minItems':
        case 'maxItems':
          if (schema.type !== 'array')
            throw new SimpleSchemaError(`${key} is only supported for array types`);
          schema[key] = parseInteger(value, key);
          break;
        case 'uniqueItems':
          if (schema.type !== 'array')
            throw new SimpleSchemaError(`uniqueItems is only supported for array types`);
          if (value === 'true') schema['x-kubernetes-list-type'] = 'set';
          break;
        case 'listType':
          if (schema.type !== 'array')
            throw new SimpleSchemaError(`listType is only supported for array types`);
          if (!['atomic', 'set', 'map'].includes(value))
            throw new SimpleSchemaError(`invalid listType '${value}'`);
          schema['x-kubernetes-list-type'] = value;
          break;
        case 'listMapKey':
          if (schema.type !== 'array')
            throw new SimpleSchemaError(`listMapKey is only supported for array types`);
          (schema['x-kubernetes-list-map-keys'] ??= []).push(value);
          break;
        case 'immutable':
          if (value === 'true') {
            (schema['x-kubernetes-validations'] ??= []).push({
              rule: 'self == oldSelf',
              message: 'field is immutable',
            });
          }
          break;
        case 'validation':
          (schema['x-kubernetes-validations'] ??= []).push({ rule: value, message: 'validation failed' });
          break;
      }
    }
    if (schema['x-kubernetes-list-map-keys'] && schema['x-kubernetes-list-type'] !== 'map') {
      throw new SimpleSchemaError('listMapKey requires listType=map');
    }
    return { schema, required };
  }

  /** A nested map (inline struct) → object schema with sorted `required` and `default: {}` propagation. */
  object(def: unknown, depth: number): OpenApiSchema {
    if (depth > MAX_DEPTH) throw new SimpleSchemaError(`object nesting exceeds ${MAX_DEPTH} levels`);
    if (def === null || def === undefined) return { type: 'object', properties: {} };
    if (typeof def !== 'object' || Array.isArray(def))
      throw new SimpleSchemaError(`expected a map or a type string`);
    const properties: Record<string, OpenApiSchema> = {};
    const required: string[] = [];
    for (const [name, v] of Object.entries(def as Record<string, unknown>)) {
      let f: ParsedField;
      if (typeof v === 'string') f = this.field(v, depth + 1);
      else if (v && typeof v === 'object' && !Array.isArray(v))
        f = { schema: this.object(v, depth + 1), required: false };
      else
        throw new SimpleSchemaError(
          `field ${name}: expected a type string or a map, got ${JSON.stringify(v)}`,
        );
      properties[name] = f.schema;
      if (f.required) required.push(name);
    }
    const schema: OpenApiSchema = { type: 'object', properties };
    if (required.length > 0) schema.required = required.sort();
    else if (Object.values(properties).some((p) => p.default !== undefined)) schema.default = {};
    return schema;
  }
}

function parseInteger(v: string, what: string): number {
  if (!/^-?\d+$/.test(v.trim()))
    throw new SimpleSchemaError(`failed to parse ${what} value '${v}' as integer`);
  return Number(v);
}

function parseDefault(raw: string, type: string | undefined): unknown {
  switch (type) {
    case 'string': {
      const s = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
      return s;
    }
    case 'integer':
      return parseInteger(raw, 'default');
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || Number.isNaN(v))
        throw new SimpleSchemaError(`failed to parse default value '${raw}' as number`);
      return v;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false')
        throw new SimpleSchemaError(`failed to parse default value '${raw}' as boolean`);
      return raw === 'true';
    default:
      try {
        return JSON.parse(raw);
      } catch {
        throw new SimpleSchemaError(`failed to parse default value '${raw}' as JSON`);
      }
  }
}

/** `spec` SimpleSchema (+ custom types) → OpenAPI object schema. */
export function simpleSchemaToOpenApi(spec: unknown, types: Record<string, unknown> = {}): OpenApiSchema {
  const t = new SimpleSchemaTransformer(types);
  t.resolveAllTypes();
  return t.object(spec ?? {}, 0);
}

/** CRD-style defaulting of an instance value (what the API server does from the generated schema). */
export function applyDefaults(value: unknown, schema: OpenApiSchema): unknown {
  if (schema.type === 'object' && schema.properties) {
    const obj =
      value && typeof value === 'object' && !Array.isArray(value)
        ? { ...(value as Record<string, unknown>) }
        : {};
    for (const [k, s] of Object.entries(schema.properties)) {
      if (obj[k] === undefined && s.default !== undefined) obj[k] = structuredClone(s.default);
      if (obj[k] !== undefined) obj[k] = applyDefaults(obj[k], s);
    }
    return obj;
  }
  if (schema.type === 'array' && schema.items && Array.isArray(value))
    return value.map((v) => applyDefaults(v, schema.items!));
  if (schema.type === 'object' && schema.additionalProperties && value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = applyDefaults(v, schema.additionalProperties);
    return out;
  }
  return value;
}
