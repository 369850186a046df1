/**
 * cel-go extensions kro enables that cel-js lacks: two-variable comprehensions (ext/comprehensions.go
 * examples), ext.Lists, ext.Strings quote, optionals, and ext.Sets (kubernetes profile only).
 */
import { describe, expect, it } from 'vitest';
import { analyzeAst } from '../ast.js';
import { CelEngine } from '../engine.js';
import { fromCelValue } from '../values.js';
import { errorOf } from './test-support.js';

const kro = new CelEngine({ cache: false });
const kube = new CelEngine({ cache: false, profile: 'kubernetes' });
const ev = (expr: string, act: Record<string, unknown> = {}, engine = kro) =>
  fromCelValue(engine.compile(expr).evaluate(act));
const err = (expr: string, engine = kro): string => errorOf(engine, expr);

describe('two-variable comprehensions', () => {
  it("evaluates cel-go's documented examples", () => {
    expect(ev('[1, 2, 3].all(i, j, i < j)')).toBe(true);
    expect(ev("{'hello': 'world', 'taco': 'taco'}.all(k, v, k != v)")).toBe(false);
    expect(
      ev("{'h': ['hello', 'hi'], 'j': ['joke', 'jog']}.all(k, vals, vals.all(v, v.startsWith(k)))"),
    ).toBe(true);
    expect(
      ev(
        "{'greeting': 'hello', 'farewell': 'goodbye'}.exists(k, v, k.startsWith('good') || v.endsWith('bye'))",
      ),
    ).toBe(true);
    expect(ev('[1, 2, 4, 8, 16].exists(i, v, v == 1024 && i == 10)')).toBe(false);
    expect(ev('[1, 2, 1, 3, 1, 4].existsOne(i, v, i == 1 || v == 1)')).toBe(false);
    expect(ev('[1, 1, 2, 2, 3, 3].existsOne(i, v, i == 2 && v == 2)')).toBe(true);
    expect(ev("{'i': 0, 'j': 1, 'k': 2}.existsOne(i, v, i == 'l' || v == 1)")).toBe(true);
    expect(ev('[1, 1, 2, 2, 3, 3].exists_one(i, v, i == 2 && v == 2)')).toBe(true);
    expect(ev('[1, 2, 3].transformList(indexVar, valueVar, (indexVar * valueVar) + valueVar)')).toEqual([
      1, 4, 9,
    ]);
    expect(
      ev('[1, 2, 3].transformList(indexVar, valueVar, indexVar % 2 == 0, (indexVar * valueVar) + valueVar)'),
    ).toEqual([1, 9]);
    expect(ev("{'greeting': 'hello', 'farewell': 'goodbye'}.transformList(k, _, k)")).toEqual([
      'greeting',
      'farewell',
    ]);
    expect(ev("{'greeting': 'hello', 'farewell': 'goodbye'}.transformList(_, v, v)")).toEqual([
      'hello',
      'goodbye',
    ]);
    expect(ev('[1, 2, 3].transformMap(indexVar, valueVar, (indexVar * valueVar) + valueVar)')).toEqual({
      0: 1,
      1: 4,
      2: 9,
    });
    expect(
      ev('[1, 2, 3].transformMap(indexVar, valueVar, indexVar % 2 == 0, (indexVar * valueVar) + valueVar)'),
    ).toEqual({ 0: 1, 2: 9 });
    expect(ev("{'greeting': 'hello'}.transformMap(k, v, v + '!')")).toEqual({ greeting: 'hello!' });
    expect(ev("{'greeting': 'hello'}.transformMapEntry(keyVar, valueVar, {valueVar: keyVar})")).toEqual({
      hello: 'greeting',
    });
    expect(ev('[1, 2, 3].transformMapEntry(indexVar, valueVar, {valueVar: indexVar})')).toEqual({
      1: 0,
      2: 1,
      3: 2,
    });
  });

  it("keeps cel-go's error rules: logical absorption in all/exists, duplicate keys fail", () => {
    expect(ev('[0, 1].all(i, v, 1 / v > 0 && false)')).toBe(false);
    expect(err('[0, 1].all(i, v, 1 / v > 0)')).toMatch(/division by zero/);
    expect(ev('[0, 1].exists(i, v, 1 / v > 0)')).toBe(true);
    expect(
      err(
        "{'greeting': 'aloha', 'farewell': 'aloha'}.transformMapEntry(keyVar, valueVar, {valueVar: keyVar})",
      ),
    ).toBe('insert failed: key aloha already exists');
    expect(err('[1].all(i, v, v)')).toMatch(/no matching overload for '_&&_' applied to '\(bool, int\)'/);
    expect(err('[1].all(i, 1, true)')).toMatch(/argument must be a simple name/);
  });

  it('binds both variables: they are not dependencies', () => {
    const f = analyzeAst(kro.parseOnly('schema.spec.m.transformMap(k, v, v + deployment.x)').ast);
    expect(f.identifiers).toEqual(['schema', 'deployment']);
    expect(f.comprehensionCount).toBe(1);
  });
});

describe('ext.Lists, ext.Strings, optionals', () => {
  it('sort, sortBy, slice, flatten, distinct, reverse, lists.range', () => {
    expect(ev('[3, 2, 1].sort()')).toEqual([1, 2, 3]);
    expect(ev("['b', 'c', 'a'].sort()")).toEqual(['a', 'b', 'c']);
    expect(err("[1, 'b'].sort()")).toBe('list elements must have the same type');
    expect(err('[[1, 2, 3]].sort()')).toBe('list elements must be comparable');
    expect(
      ev(
        "[{'name': 'foo', 'score': 0}, {'name': 'bar', 'score': -10}, {'name': 'baz', 'score': 1000}].sortBy(e, e.score).map(e, e.name)",
      ),
    ).toEqual(['bar', 'foo', 'baz']);
    expect(ev('[1,2,3,4].slice(1, 3)')).toEqual([2, 3]);
    expect(err('[1,2,3,4].slice(-1, 3)')).toBe('cannot slice(-1, 3), negative indexes not supported');
    expect(err('[1,2,3,4].slice(1, 5)')).toBe('cannot slice(1, 5), list is length 4');
    expect(ev('[1,[2,3],[4]].flatten()')).toEqual([1, 2, 3, 4]);
    expect(ev('[1,[2,[3,4]]].flatten()')).toEqual([1, 2, [3, 4]]);
    expect(ev('[1,[2,[3,[4]]]].flatten(2)')).toEqual([1, 2, 3, [4]]);
    expect(err('[1,[2,[3,[4]]]].flatten(-1)')).toBe('level must be non-negative');
    expect(ev('[1, 2, 2, 3, 3, 3].distinct()')).toEqual([1, 2, 3]);
    expect(ev('["b", "b", "c", "a", "c"].distinct()')).toEqual(['b', 'c', 'a']);
    expect(ev('[1, "b", 2, "b"].distinct()')).toEqual([1, 'b', 2]);
    expect(ev('[5, 3, 1, 2].reverse()')).toEqual([2, 1, 3, 5]);
    expect(ev('lists.range(5)')).toEqual([0, 1, 2, 3, 4]);
    expect(err('lists.range(-1)')).toBe('lists.range: size must be non-negative, got -1');
  });

  it('strings.quote escapes like cel-go', () => {
    expect(ev('strings.quote("first\\nsecond")')).toBe('"first\\nsecond"');
    expect(ev('strings.quote("bell\\a")')).toBe('"bell\\a"');
    expect(ev('strings.quote(\'single-quote with "double quote"\')')).toBe(
      '"single-quote with \\"double quote\\""',
    );
    expect(ev('strings.quote("printable unicode😀")')).toBe('"printable unicode😀"');
  });

  it('optMap, optFlatMap, optional.ofNonZeroValue', () => {
    expect(ev('optional.of(2).optMap(x, x * 2).value()')).toBe(4);
    expect(ev('optional.none().optMap(x, x * 2).hasValue()')).toBe(false);
    expect(ev('optional.of(2).optFlatMap(x, x > 1 ? optional.of(x) : optional.none()).value()')).toBe(2);
    expect(ev("{'a': 1}.?a.optMap(v, v + 1).orValue(0)")).toBe(2);
    expect(ev('optional.ofNonZeroValue(0).hasValue()')).toBe(false);
    expect(ev("optional.ofNonZeroValue('x').value()")).toBe('x');
  });
});

describe('ext.Sets (kubernetes profile: kube-apiserver has it, kro does not)', () => {
  it('contains, equivalent, intersects with CEL equality', () => {
    expect(ev('sets.contains([1, 2, 3], [2, 3])', {}, kube)).toBe(true);
    expect(ev('sets.contains([1, 2], [2.0])', {}, kube)).toBe(true);
    expect(ev('sets.contains([1], [4])', {}, kube)).toBe(false);
    expect(ev('sets.equivalent([1, 2], [2, 1, 1])', {}, kube)).toBe(true);
    expect(ev('sets.intersects([1], [3, 1])', {}, kube)).toBe(true);
    expect(ev('sets.intersects([1], [])', {}, kube)).toBe(false);
    expect(() => kro.compile('sets.contains([1], [1])')).toThrow(/no matching overload/);
  });
});
