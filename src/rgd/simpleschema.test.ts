import { describe, expect, it } from 'vitest';
import { applyDefaults, parseMarkers, simpleSchemaToOpenApi } from './simpleschema.js';

describe('SimpleSchema → OpenAPI', () => {
  it('converts kro examples/kubernetes/defaults (required, defaults, default {} propagation)', () => {
    const s = simpleSchemaToOpenApi({
      name: 'string',
      elements: '[]string | default=["a","b","c","d"]',
      required: 'integer | required=true',
      element: 'string | default="e"',
      enabled: 'boolean | default=true',
      number: 'integer | default=100',
      config: { field: 'string', field2: 'integer | default=200', field3: 'integer | default=2002' },
    });
    expect(s.required).toEqual(['required']);
    expect(s.default).toBeUndefined();
    expect(s.properties!.elements).toEqual({
      type: 'array',
      items: { type: 'string' },
      default: ['a', 'b', 'c', 'd'],
    });
    expect(s.properties!.element!.default).toBe('e');
    expect(s.properties!.enabled!.default).toBe(true);
    expect(s.properties!.config!.default).toEqual({});
    expect(applyDefaults({ required: 1 }, s)).toEqual({
      required: 1,
      elements: ['a', 'b', 'c', 'd'],
      element: 'e',
      enabled: true,
      number: 100,
      config: { field2: 200, field3: 2002 },
    });
  });

  it('handles float, object, maps, nested arrays and custom types', () => {
    const s = simpleSchemaToOpenApi(
      { f: 'float', o: 'object', m: 'map[string][]integer', n: '[][]string', p: 'Port', a: 'Alias' },
      {
        Port: { number: 'integer | required=true', name: 'string' },
        Alias: 'string | default=x required=true',
      },
    );
    expect(s.properties!.f).toEqual({ type: 'number' });
    expect(s.properties!.o).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(s.properties!.m).toEqual({
      type: 'object',
      additionalProperties: { type: 'array', items: { type: 'integer' } },
    });
    expect(s.properties!.n!.items!.items).toEqual({ type: 'string' });
    expect(s.properties!.p!.required).toEqual(['number']);
    expect(s.required).toEqual(['a']);
  });

  it('applies every marker', () => {
    const s = simpleSchemaToOpenApi({
      s: 'string | description="a name" pattern="^[a-z]+$" minLength=1 maxLength=10 enum="a,b" immutable=true',
      i: 'integer | minimum=1 maximum=5.5 enum="1,2"',
      l: '[]string | minItems=1 maxItems=3 uniqueItems=true',
      lm: '[]object | listType=map listMapKey=name listMapKey=port',
      v: 'string | validation="self.size() > 1"',
    });
    const p = s.properties!;
    expect(p.s).toMatchObject({
      description: 'a name',
      pattern: '^[a-z]+$',
      minLength: 1,
      maxLength: 10,
      enum: ['a', 'b'],
    });
    expect(p.s!['x-kubernetes-validations']).toEqual([
      { rule: 'self == oldSelf', message: 'field is immutable' },
    ]);
    expect(p.i).toMatchObject({ minimum: 1, maximum: 5.5, enum: [1, 2] });
    expect(p.l).toMatchObject({ minItems: 1, maxItems: 3, 'x-kubernetes-list-type': 'set' });
    expect(p.lm).toMatchObject({
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name', 'port'],
    });
    expect(p.v!['x-kubernetes-validations']).toEqual([
      { rule: 'self.size() > 1', message: 'validation failed' },
    ]);
  });

  it('keeps backslashes other than \\" and \\\\ in quoted values, like kro (patterns keep \\.)', () => {
    const s = simpleSchemaToOpenApi({
      e: String.raw`string | pattern="^[a-z]+\.[a-z]{2,}$" description="say \"hi\" \\ bye"`,
    });
    expect(s.properties!.e).toMatchObject({
      pattern: String.raw`^[a-z]+\.[a-z]{2,}$`,
      description: String.raw`say "hi" \ bye`,
    });
  });

  it('splits on the first | only and parses quoted/bracketed values', () => {
    expect(parseMarkers(' default={"a": "b c"} description="x \\"y\\""')).toEqual([
      { key: 'default', value: '{"a": "b c"}' },
      { key: 'description', value: 'x "y"' },
    ]);
    expect(() => simpleSchemaToOpenApi({ a: 'string | required=true | description="x"' })).toThrow(
      'unknown marker',
    );
  });

  it('reports kro errors', () => {
    expect(() => simpleSchemaToOpenApi({ a: 'string | foo=1' })).toThrow('unknown marker: foo');
    expect(() => simpleSchemaToOpenApi({ a: 'string | required' })).toThrow(
      "marker key 'required' without a value",
    );
    expect(() => simpleSchemaToOpenApi({ a: 'map[integer]string' })).toThrow('map key must be string');
    expect(() => simpleSchemaToOpenApi({ a: 'Nope' })).toThrow('unknown type: Nope');
    expect(() => simpleSchemaToOpenApi({}, { A: { b: 'B' }, B: { a: 'A' } })).toThrow(
      'cyclic dependency in type A: graph contains a cycle: A -> B -> A',
    );
    expect(() => simpleSchemaToOpenApi({ a: 'boolean | enum="x"' })).toThrow(
      'enum is only supported for string and integer',
    );
    expect(() => simpleSchemaToOpenApi({ a: 'integer | pattern="x"' })).toThrow(
      'pattern is only supported for string',
    );
    expect(() => simpleSchemaToOpenApi({ a: 'string | minItems=1' })).toThrow(
      'minItems is only supported for array',
    );
    expect(() => simpleSchemaToOpenApi({ a: '[]string | listMapKey=x' })).toThrow(
      'listMapKey requires listType=map',
    );
    expect(() => simpleSchemaToOpenApi({ a: 'integer | default=abc' })).toThrow(
      "failed to parse default value 'abc'",
    );
    expect(() => simpleSchemaToOpenApi({ a: 'string | enum="a,,b"' })).toThrow('enum values cannot be empty');
  });
});
