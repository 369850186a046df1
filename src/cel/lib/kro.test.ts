/**
 * kro's own libraries (pkg/cel/library): random (kro's algorithm), lists, runtime conditions.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analyzeAst } from '../ast.js';
import { CelEngine } from '../engine.js';
import { fromCelValue } from '../values.js';
import { errorOf } from './test-support.js';

const kro = new CelEngine({ cache: false });
const ev = (expr: string, act: Record<string, unknown> = {}) => fromCelValue(kro.compile(expr).evaluate(act));
const err = (expr: string, act: Record<string, unknown> = {}): string => errorOf(kro, expr, act);

describe('random (random.go)', () => {
  it("seededString takes 4-byte windows of sha256(seed) mod 36, so it repeats every 8 characters as kro's does", () => {
    const s = ev("random.seededString(20, 'test-seed')") as string;
    const digest = createHash('sha256').update('test-seed').digest();
    const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
    const first = Array.from({ length: 8 }, (_v, i) => alphabet[digest.readUInt32BE(i * 4) % 36]).join('');
    expect(s).toBe((first + first + first).slice(0, 20));
    expect(ev("random.seededString(10, 'different-seed')")).not.toBe(s.slice(0, 10));
    expect(err("random.seededString(0, 'test-seed')")).toBe('random.seededString length must be positive');
    expect(err("random.seededString(-1, 'test-seed')")).toBe('random.seededString length must be positive');
    expect(() => kro.compile('random.seededString(10)')).toThrow(/found no matching overload/);
  });

  it('seededInt is min + first 8 bytes of sha256(seed) mod (max - min)', () => {
    const v = createHash('sha256').update('my-service').digest().readBigUInt64BE(0);
    expect(ev("random.seededInt(30000, 32768, 'my-service')")).toBe(Number(30000n + (v % 2768n)));
    expect(ev("random.seededInt(5, 6, 'seed')")).toBe(5);
    const n = ev("random.seededInt(-100, -50, 'seed')") as number;
    expect(n >= -100 && n < -50).toBe(true);
    expect(err("random.seededInt(5, 5, 'seed')")).toBe('random.seededInt min must be less than max');
    expect(() => kro.compile("random.seededInt('a', 10, 'seed')")).toThrow(/found no matching overload/);
  });
});

describe('kro lists (lists.go)', () => {
  it('set/insert/remove at an index with kro bounds messages', () => {
    expect(ev('lists.setAtIndex([1, 2, 3], 1, 99)')).toEqual([1, 99, 3]);
    expect(ev('lists.insertAtIndex([1, 2, 3], 3, 99)')).toEqual([1, 2, 3, 99]);
    expect(ev('lists.removeAtIndex([1, 2, 3], 0)')).toEqual([2, 3]);
    expect(err('lists.setAtIndex([1], 1, 0)')).toBe('lists.setAtIndex: index 1 out of bounds [0, 1)');
    expect(err('lists.insertAtIndex([1], 2, 0)')).toBe('lists.insertAtIndex: index 2 out of bounds [0, 1]');
    expect(err('lists.removeAtIndex([], 0)')).toBe('lists.removeAtIndex: index 0 out of bounds [0, 0)');
  });

  it('a resource named like a namespace stays a variable (cel-go resolves qualified functions first)', () => {
    expect(ev('json.marshal(json.data)', { json: { data: { a: 1n } } })).toBe('{"a":1}');
    const f = analyzeAst(kro.parseOnly('lists.range(2).map(i, lists.metadata.name)').ast);
    expect(f.identifiers).toEqual(['lists']);
  });
});

describe('runtime (runtime.go): custom status conditions', () => {
  it('newCondition builds a Condition from bare-identifier keys', () => {
    expect(ev("runtime.newCondition({type: 'Ready', status: 'True', reason: 'Up'}).reason")).toBe('Up');
    expect(
      ev(
        "runtime.newCondition({type: 'A', status: 'False'}) == runtime.newCondition({type: 'A', status: 'False'})",
      ),
    ).toBe(true);
    expect(err("runtime.newCondition({type: 'Ready', status: 'Maybe'})")).toBe(
      'runtime.newCondition: status must be one of True, False, Unknown (got "Maybe")',
    );
    expect(err("runtime.newCondition({type: '', status: 'True'})")).toBe(
      'runtime.newCondition: type must not be empty',
    );
  });

  it("rejects what kro's parse-time macro rejects, with its messages", () => {
    const parseErr = (expr: string) => {
      try {
        kro.parseOnly(expr);
      } catch (e) {
        return (e as Error).message.split('\n')[0];
      }
      return 'parsed';
    };
    expect(parseErr("runtime.newCondition({'type': 'A', status: 'True'})")).toBe(
      'runtime.newCondition: keys must be bare identifiers (type, status, reason, message); quoted or computed keys are not allowed',
    );
    expect(parseErr("runtime.newCondition({type: 'A', status: 'True', color: 'red'})")).toBe(
      'runtime.newCondition: unknown key "color" (allowed: type, status, reason, message)',
    );
    expect(parseErr("runtime.newCondition({type: 'A', type: 'B', status: 'True'})")).toBe(
      'runtime.newCondition: duplicate key "type"',
    );
    expect(parseErr("runtime.newCondition({status: 'True'})")).toBe(
      "runtime.newCondition: 'type' is required",
    );
    expect(parseErr('runtime.newCondition(x)')).toBe('runtime.newCondition: argument must be a map literal');
  });

  it('condition(obj, type) reads obj.status.conditions, or returns an empty condition', () => {
    const obj = { status: { conditions: [{ type: 'ResourcesReady', status: 'True', reason: 'AllReady' }] } };
    expect(ev("runtime.condition(o, 'ResourcesReady').reason", { o: obj })).toBe('AllReady');
    expect(ev("runtime.condition(o, 'Missing').status", { o: obj })).toBe('');
    expect(ev("runtime.condition(o, 'Missing').status", { o: {} })).toBe('');
    expect(err("runtime.condition(o, 'X')", { o: { status: { conditions: 'no' } } })).toBe(
      'runtime.condition: obj.status.conditions must be a list',
    );
  });

  it('keeps runtime a reference (kro allows it only in status.conditions) and the keys are not identifiers', () => {
    const f = analyzeAst(
      kro.parseOnly("runtime.newCondition({type: 'A', status: deployment.ready ? 'True' : 'False'})").ast,
    );
    expect(f.identifiers).toEqual(['runtime', 'deployment']);
  });
});
