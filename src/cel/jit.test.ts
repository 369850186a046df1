/**
 * Differential tests: the generated fast path must give exactly what the cel-js interpreter gives
 * (value, or an error) on every input — the reference set, edge cases, and the whole cel-spec corpus.
 */
import { tests as conformance } from '@bufbuild/cel-spec/testdata/conformance.js';
import { describe, expect, it } from 'vitest';
import { CelEngine } from './engine.js';
import { REFERENCE_EXPRESSIONS, referenceActivation } from './reference.js';
import { toCelValue } from './values.js';

const engine = new CelEngine({ cache: false });

type Outcome = { ok: true; value: unknown } | { ok: false };
function outcome(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch {
    return { ok: false };
  }
}

function agree(expression: string, activation: Record<string, unknown>): { jit: boolean; same: boolean } {
  const p = engine.compile(expression);
  // evaluate() interprets the first calls and switches to generated code after a few (lazy JIT).
  for (let i = 0; i < 3; i++) outcome(() => p.evaluate(activation));
  const fast = outcome(() => p.evaluate(activation));
  const slow = outcome(() => p.interpret(activation));
  let same = fast.ok === slow.ok;
  if (same && fast.ok && slow.ok) {
    try {
      expect(fast.value).toEqual(slow.value);
    } catch {
      same = false;
    }
  }
  return { jit: p.jit, same };
}

const act = toCelValue({
  ...referenceActivation(),
  m: { a: 1, b: 'x', n: null, nested: { k: [1, 2, 3] }, constructor: 'shadow' },
  s: 'héllo',
  big: 9223372036854775807n,
  d: 1.5,
  lst: ['a', 'b'],
  mixed: [1, 'a'],
}) as Record<string, unknown>;
act.big = 9223372036854775807n;

const CASES = [
  ...REFERENCE_EXPRESSIONS.map((r) => r.expression),
  'spec.missing',
  'spec.replicas + 1',
  'spec.replicas + 1.0',
  'spec.replicas < 2.5',
  'big + 1',
  'big * 2',
  '-big - 2',
  'spec.replicas / 0',
  'spec.replicas % 0',
  '7 / 2',
  '-7 % 3',
  'd / 0.0',
  'm.n == null',
  'm.a == null',
  'm.b != "x"',
  'm.a == 1.0',
  'm.constructor',
  'm.n.x',
  'spec.replicas.x',
  's.size',
  'lst.size',
  'has(m.a) && !has(m.zzz)',
  'has(m.nested.k)',
  'm.nested.k[3]',
  'm.nested.k[-1]',
  'm["b"]',
  'm["zz"]',
  'lst[0] + lst[1]',
  'size(s) + s.size()',
  '"é" in [s]',
  '1 in m.nested.k',
  '"a" in mixed',
  '"a" in m',
  'mixed.all(x, x > 0)',
  'spec.items.exists(i, i.weight / 0 == 1) || true',
  'false && spec.missing',
  'spec.missing && false',
  'spec.missing || true',
  'spec.items.map(i, i.weight * 2)',
  'spec.items.map(i, i.enabled, i.name)',
  'spec.items.exists_one(i, i.weight == 7)',
  'spec.items.filter(i, i.weight > 4).size()',
  'cel.bind(x, spec.replicas, x * x)',
  'cel.bind(xs, spec.items, xs.all(i, xs.exists(j, j.weight >= i.weight)))',
  'string(spec.replicas) + "-" + string(true)',
  'string(d)',
  'int("42") + int(spec.replicas)',
  'int("x")',
  's.startsWith("h") && s.endsWith("o") && s.contains("ll")',
  'lst.join("-") + lst.join()',
  'mixed.join(",")',
  'm.a ? 1 : 2',
  '!m.a',
  '[1, 2] + [3]',
  'spec.template.spec.containers[0].resources.limits.cpu',
  '"" + (spec.replicas)',
];

describe('JIT fast path agrees with the interpreter', () => {
  it('on the reference set and edge cases', () => {
    const mismatches = CASES.filter((e) => {
      try {
        return !agree(e, act).same;
      } catch (err) {
        return `${e}: does not compile: ${(err as Error).message.split('\n')[0]}`;
      }
    });
    expect(mismatches).toEqual([]);
  });

  it('leaves the library functions and new macros to the interpreter, with the same results', () => {
    const LIBRARY = [
      'quantity("1Gi").isGreaterThan(quantity("512Mi")) && spec.replicas > 1',
      'spec.replicas > 1 ? quantity("1").add(spec.replicas).asInteger() : 0',
      'string(ip("10.0.0.1")) + "/" + string(cidr("10.0.0.0/8").prefixLength())',
      'url("https://x.io:8/p").getPort() == "8"',
      'semver("1.2.3").isLessThan(semver("1.10.0"))',
      'spec.items.transformMap(i, v, v.weight > 4, v.weight)',
      '{1: "a"}.all(k, v, k + 1 > 1)',
      '{1: "a"}.exists(k, k == 1)',
      '{"a": 1, "b": 2}.all(k, v, v > 0)',
      'cel.bind(x, {"a": 1}, x.exists(k, v, k == "a"))',
      'spec.items.sortBy(i, -i.weight).map(i, i.name)',
      'lists.range(3).map(i, i * spec.replicas)',
      'm.transformMapEntry(k, v, {k + "!": v})',
      '"a1b22".findAll("[0-9]+").size() == 2',
      'spec.items.map(i, i.weight).sum() + spec.items.map(i, i.weight).max()',
      'sign(quantity("-1"))',
      'quantity("x")',
    ];
    const wrong = LIBRARY.filter((e) => {
      const r = agree(e, act);
      return r.jit || !r.same;
    });
    expect(wrong).toEqual([]);
  });

  it('runs two-variable comprehensions over lists and string-keyed maps on the fast path', () => {
    const TWO_VAR = [
      'spec.items.all(i, v, i >= 0 && v.weight > 0)',
      'spec.items.exists(i, v, i == 2 && v.enabled)',
      'spec.items.existsOne(i, v, v.weight == 7)',
      'spec.items.exists_one(i, v, i == 0)',
      'spec.items.transformList(i, v, v.name + string(i))',
      'spec.items.transformList(i, v, i % 2 == 0, v.weight * i)',
      'spec.items.all(i, v, spec.items.exists(j, w, w.weight == v.weight && j >= 0))',
      '[1, 2].all(i, v, v / 0 > 1)',
      '[1, 2].all(i, v, v / (v - 1) > 0)',
      '[0, "a"].exists(i, v, v == 1 || i == 1)',
      'mixed.all(i, v, v > 0)',
      'cel.bind(xs, spec.items, xs.transformList(i, v, xs[i].name == v.name))',
      // maps iterate (key, value) when their keys are strings
      'm.all(k, v, k != "")',
      'm.exists(k, v, k == "b" && v == "x")',
      'm.transformList(k, v, k)',
      'm.nested.transformList(k, v, v.size())',
      'm.all(k, k.size() > 0)',
      'm.map(k, k + "!")',
      'm.filter(k, k.startsWith("n"))',
    ];
    const wrong = TWO_VAR.filter((e) => {
      const r = agree(e, act);
      return !r.jit || !r.same;
    });
    expect(wrong).toEqual([]);
  });

  it('compiles the reference set to the fast path', () => {
    for (const r of REFERENCE_EXPRESSIONS) expect(engine.compile(r.expression).jit).toBe(true);
  });

  it('on every applicable cel-spec conformance expression', () => {
    const mismatches: string[] = [];
    let jitted = 0;
    for (const file of conformance.suites as {
      suites?: { tests?: { original: { expr: string; bindings?: unknown } }[] }[];
    }[]) {
      for (const section of file.suites ?? []) {
        for (const { original } of section.tests ?? []) {
          if (original.bindings) continue; // bindings are protobuf values; the no-binding corpus is large enough
          let r;
          try {
            r = agree(original.expr, {});
          } catch {
            continue; // does not compile: nothing to compare
          }
          if (r.jit) jitted++;
          if (!r.same) mismatches.push(original.expr);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(jitted).toBeGreaterThan(200);
  });
});
