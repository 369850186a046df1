/**
 * Conformance: the @bufbuild/cel-spec suites (cel-spec data) run through the adapter (fast path +
 * interpreter). Tests needing protobuf messages, enums or check-only are skipped, as in
 * docs/cel-libs' method. The pass count per suite must not drop below the committed baseline
 * (conformance-baseline.json); regenerate it with UPDATE_CEL_BASELINE=1 after an intended change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Environment } from '@marcbachmann/cel-js';
import { tests as conformance } from '@bufbuild/cel-spec/testdata/conformance.js';
import { describe, expect, it } from 'vitest';
import { CelEngine } from './engine.js';

const baselineUrl = new URL('./conformance-baseline.json', import.meta.url);
const UInt = (new Environment().evaluate('1u') as object).constructor as new (v: bigint) => {
  valueOf(): bigint;
};

type PbValue = Record<string, unknown>;

function fromPb(v: PbValue): unknown {
  if ('int64Value' in v) return BigInt(v.int64Value as string);
  if ('uint64Value' in v) return new UInt(BigInt(v.uint64Value as string));
  if ('doubleValue' in v) return typeof v.doubleValue === 'string' ? Number(v.doubleValue) : v.doubleValue;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('nullValue' in v) return null;
  if ('bytesValue' in v) return new Uint8Array(Buffer.from(v.bytesValue as string, 'base64'));
  if ('listValue' in v) return (((v.listValue as PbValue).values ?? []) as PbValue[]).map(fromPb);
  if ('mapValue' in v) {
    const out = new Map<unknown, unknown>();
    for (const e of ((v.mapValue as PbValue).entries ?? []) as { key: PbValue; value: PbValue }[]) {
      out.set(fromPb(e.key), fromPb(e.value));
    }
    return out;
  }
  throw new Error('unsupported value');
}

function same(expected: unknown, actual: unknown): boolean {
  if (expected instanceof UInt) return actual instanceof UInt && actual.valueOf() === expected.valueOf();
  if (
    typeof expected === 'bigint' ||
    typeof expected === 'string' ||
    typeof expected === 'boolean' ||
    expected === null
  ) {
    return expected === actual;
  }
  if (typeof expected === 'number') {
    return (
      typeof actual === 'number' &&
      (Object.is(expected, actual) || (Number.isNaN(expected) && Number.isNaN(actual)) || expected === actual)
    );
  }
  if (expected instanceof Uint8Array) {
    return actual instanceof Uint8Array && Buffer.from(actual).equals(Buffer.from(expected));
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => same(e, actual[i]))
    );
  }
  if (expected instanceof Map) {
    const entries: [unknown, unknown][] =
      actual instanceof Map
        ? [...actual]
        : actual && typeof actual === 'object'
          ? Object.entries(actual)
          : [];
    if (entries.length !== expected.size) return false;
    return [...expected].every(([k, v]) => entries.some(([ak, av]) => same(k, ak) && same(v, av)));
  }
  return false;
}

interface SpecTest {
  name: string;
  expr: string;
  value?: PbValue;
  typedResult?: { result?: PbValue };
  evalError?: unknown;
  bindings?: Record<string, { value?: PbValue }>;
  checkOnly?: boolean;
  container?: string;
}

const SKIP =
  /objectValue|TestAllTypes|google\.protobuf|enumValue|cel\.expr\.conformance|typeValue|Int32Value|Int64Value|UInt32Value|UInt64Value|BoolValue|StringValue|BytesValue|DoubleValue|FloatValue/;

function runSuites(): Record<string, { applicable: number; pass: number }> {
  const engine = new CelEngine({ cache: false });
  const out: Record<string, { applicable: number; pass: number }> = {};
  for (const file of conformance.suites as {
    name: string;
    suites?: { tests?: { original: SpecTest }[] }[];
  }[]) {
    const tally = (out[file.name] = { applicable: 0, pass: 0 });
    for (const section of file.suites ?? []) {
      for (const { original: t } of section.tests ?? []) {
        if (t.checkOnly || t.container || SKIP.test(JSON.stringify(t))) continue;
        let bindings: Record<string, unknown>;
        let expected: unknown;
        try {
          bindings = Object.fromEntries(
            Object.entries(t.bindings ?? {}).map(([k, b]) => [k, fromPb(b.value ?? {})]),
          );
          // cel-spec: a test with no result matcher expects the bool value true.
          const result = t.value ?? t.typedResult?.result;
          expected = result ? fromPb(result) : t.evalError === undefined ? true : undefined;
        } catch {
          continue;
        }
        tally.applicable++;
        let ok: boolean;
        try {
          const actual = engine.compile(t.expr).evaluate(bindings);
          ok = t.evalError === undefined && expected !== undefined && same(expected, actual);
        } catch {
          ok = t.evalError !== undefined;
        }
        if (ok) tally.pass++;
      }
    }
  }
  return out;
}

describe('cel-spec conformance through the adapter', () => {
  it('passes at least the recorded baseline per suite', () => {
    const results = runSuites();
    if (process.env.UPDATE_CEL_BASELINE === '1') {
      writeFileSync(baselineUrl, JSON.stringify(results, null, 2) + '\n');
    }
    const baseline = JSON.parse(readFileSync(baselineUrl, 'utf8')) as Record<string, { pass: number }>;
    const drops = Object.entries(baseline)
      .filter(([suite, b]) => (results[suite]?.pass ?? 0) < b.pass)
      .map(([suite, b]) => `${suite}: ${results[suite]?.pass ?? 0} < ${b.pass}`);
    expect(drops).toEqual([]);
    const total = Object.values(results).reduce((s, r) => s + r.pass, 0);
    expect(total).toBeGreaterThan(900);
  }, 60_000);
});
