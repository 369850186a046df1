import { describe, expect, it } from 'vitest';
import { analyzeAst } from './ast.js';
import { classify, costOrder } from './complexity.js';
import { CelEngine } from './engine.js';
import { formatString } from './library.js';
import { fromCelValue, toCelValue } from './values.js';

const engine = new CelEngine();
const ev = (expr: string, act: Record<string, unknown> = {}) => engine.compile(expr).evaluate(act);

describe('kro / Kubernetes library functions', () => {
  it('strings extension', () => {
    expect(ev("'a-b-c'.replace('-', '_')")).toBe('a_b_c');
    expect(ev("'a-b-c'.replace('-', '_', 1)")).toBe('a_b-c');
    expect(ev("'héllo'.charAt(1)")).toBe('é');
    expect(ev("'abc'.reverse()")).toBe('cba');
    expect(ev("'%s-%d-%.2f-%x'.format(['a', 42, 1.5, 255])")).toBe('a-42-1.50-ff');
    expect(ev("strings.quote('a\"b')")).toBe('"a\\"b"');
    expect(ev("'a1b22'.findAll('[0-9]+')")).toEqual(['1', '22']);
    expect(ev("'a1b22'.find('[0-9]+')")).toBe('1');
  });
  it('lists', () => {
    expect(ev('[3, 1, 2].sum()')).toBe(6n);
    expect(ev('[3, 1, 2].min()')).toBe(1n);
    expect(ev('[3, 1, 2].max()')).toBe(3n);
    expect(ev('[1, 2, 3].isSorted()')).toBe(true);
    expect(ev('[1, 2, 1].lastIndexOf(1)')).toBe(2n);
    expect(ev('lists.range(3)')).toEqual([0n, 1n, 2n]);
    expect(ev('[1, [2, 3]].flatten()')).toEqual([1n, 2n, 3n]);
    expect(ev('[1, 2, 2].distinct()')).toEqual([1n, 2n]);
    expect(ev('[1, 2, 3].slice(1, 3)')).toEqual([2n, 3n]);
    expect(ev("lists.setAtIndex(['a', 'b'], 1, 'c')")).toEqual(['a', 'c']);
    expect(ev("lists.insertAtIndex(['a', 'b'], 2, 'c')")).toEqual(['a', 'b', 'c']);
    expect(ev("lists.removeAtIndex(['a', 'b'], 0)")).toEqual(['b']);
    expect(() => ev("lists.removeAtIndex(['a'], 3)")).toThrow();
  });
  it('kro maps, json, hash, random, base64', () => {
    expect(fromCelValue(ev("{'a': 1, 'b': {'x': 1}}.merge({'b': {'y': 2}})"))).toEqual({ a: 1, b: { y: 2 } });
    expect(fromCelValue(ev("{'a': 1, 'b': {'x': 1}}.deepMerge({'b': {'y': 2}})"))).toEqual({
      a: 1,
      b: { x: 1, y: 2 },
    });
    expect(ev("json.marshal({'b': 1, 'a': [true]})")).toBe('{"a":[true],"b":1}');
    expect(ev('json.unmarshal(\'{"a": 2}\').a')).toBe(2);
    expect(ev("hash.sha256('abc').hex()")).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(ev("hash.md5('abc').hex()")).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(ev("hash.fnv64a('a').hex()")).toBe('af63dc4c8601ec8c');
    expect(ev("random.seededString(8, 'seed')")).toBe(ev("random.seededString(8, 'seed')"));
    expect((ev("random.seededString(8, 'seed')") as string).length).toBe(8);
    const n = ev("random.seededInt(10, 20, 'x')") as bigint;
    expect(n >= 10n && n < 20n).toBe(true);
    expect(ev("base64.encode(b'hi')")).toBe('aGk=');
    expect(ev("base64.decode('aGk=').string()")).toBe('hi');
  });
  it('format errors when arguments run out', () => {
    expect(() => formatString('%s %s', ['a'])).toThrow('out of range');
  });
});

describe('int conversion', () => {
  it('makes integral JSON numbers CEL ints, guided by the schema', () => {
    expect(ev('spec.replicas + 1', toCelValue({ spec: { replicas: 3 } }) as Record<string, unknown>)).toBe(
      4n,
    );
    expect(ev('type(spec.r) == int', toCelValue({ spec: { r: 3 } }) as Record<string, unknown>)).toBe(true);
    const typed = toCelValue(
      { spec: { ratio: 1 } },
      { type: 'object', properties: { spec: { type: 'object', properties: { ratio: { type: 'number' } } } } },
    );
    expect(ev('type(spec.ratio) == double', typed as Record<string, unknown>)).toBe(true);
    expect(fromCelValue({ a: 1n, b: [2n], c: new Uint8Array([104, 105]) })).toEqual({
      a: 1,
      b: [2],
      c: 'aGk=',
    });
  });
});

describe('complexity classifier', () => {
  const cls = (e: string) => classify(analyzeAst(engine.parseOnly(e).ast));
  it('classifies the reference shapes', () => {
    expect(cls('spec.replicas')).toMatchObject({ complexity: 'simple', costOrder: 'O(1)' });
    expect(cls("spec.replicas > 1 ? 'multiple' : 'single'").complexity).toBe('medium');
    expect(cls('spec.template.spec.containers[0].resources.limits.cpu').complexity).toBe('complex');
    expect(cls('spec.items.all(i, i.weight >= 0)')).toMatchObject({
      complexity: 'complex',
      costOrder: 'O(n)',
    });
    expect(cls('spec.items.filter(i, i.enabled).map(i, i.name).size() > 2')).toMatchObject({
      complexity: 'very-complex',
      costOrder: 'O(n)',
    });
    expect(cls('a.exists(i, a.all(j, a.exists(k, k == i)))')).toMatchObject({ costOrder: 'O(n³)' });
    expect(cls("s.matches('^a')")).toMatchObject({ complexity: 'complex', costOrder: 'O(len)' });
    expect(costOrder(2)).toBe('O(n²)');
  });
  it('finds free identifiers, not comprehension or bind variables', () => {
    const f = analyzeAst(engine.parseOnly('a.exists(x, x == b) && cel.bind(y, c, y + x2)').ast);
    expect(f.identifiers).toEqual(['a', 'b', 'c', 'x2']);
    expect(f.comprehensionDepth).toBe(1);
  });
});

describe('engine', () => {
  it('caches compiled programs by expression', () => {
    const e = new CelEngine();
    const p = e.compile('x + 1');
    expect(e.compile('x + 1')).toBe(p);
    expect(e.hits).toBe(1);
    expect(e.cachedPrograms).toBe(1);
  });
  it('reports compile errors with the library code', () => {
    expect(() => new CelEngine().compile('spec.replicas +')).toThrow(/Unexpected|EOF/);
  });
});
