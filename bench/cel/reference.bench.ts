/**
 * CEL reference set (issue 5): per expression, eval ns vs cel-go v0.16 on the reference machine
 * (target: faster), vs a hand-written JS function (target: within 3×), compile µs, and simple
 * evals/s vs the reference Go report's 9,876/s (target: ≥ 1,000×). Batched timing, warm-up first.
 */
import { benchmarkExpression } from '../../src/cel/benchmark.js';
import {
  LIBRARY_EXPRESSIONS,
  REFERENCE_EXPRESSIONS,
  libraryActivation,
  referenceActivation,
} from '../../src/cel/reference.js';
import { toCelValue } from '../../src/cel/values.js';

const activation = toCelValue(referenceActivation(8)) as Record<string, unknown>;
const results: { name: string; value: number; unit: string; target?: string; pass?: boolean }[] = [];
for (const r of REFERENCE_EXPRESSIONS) {
  process.stderr.write(`cel: ${r.name}\n`);
  const m = await benchmarkExpression(r, activation, { budgetMs: 400, warmupMs: 100 });
  results.push(
    {
      name: `${r.name}.evalNs`,
      value: m.evalNs,
      unit: 'ns',
      target: `< ${r.celGoReferenceNs} (cel-go)`,
      pass: m.evalNs < r.celGoReferenceNs,
    },
    { name: `${r.name}.evalNsP95`, value: m.evalNsP95, unit: 'ns' },
    {
      name: `${r.name}.vsHandWrittenJs`,
      value: m.baselineRatio ?? NaN,
      unit: 'x',
      target: '<= 3',
      pass: (m.baselineRatio ?? Infinity) <= 3,
    },
    { name: `${r.name}.compileUs`, value: m.compileUs, unit: 'us' },
    { name: `${r.name}.bytesPerProgram`, value: m.bytesPerProgram, unit: 'bytes' },
  );
  if (r.name === 'simple') {
    results.push({
      name: 'simple.evalsPerSec',
      value: m.evalsPerSec,
      unit: 'ops/s',
      target: '>= 9,876,000 (1000x the reference Go report)',
      pass: m.evalsPerSec >= 9_876_000,
    });
  }
}

// The Kubernetes / cel-go library functions kro enables (interpreted: the fast path leaves them to
// cel-js). The ratio is against calling kubeperf's port of the Go code directly: what CEL adds.
const libActivation = toCelValue(libraryActivation(8)) as Record<string, unknown>;
for (const r of LIBRARY_EXPRESSIONS) {
  process.stderr.write(`cel: lib.${r.name}\n`);
  const m = await benchmarkExpression(r, libActivation, { budgetMs: 200, warmupMs: 50 });
  results.push(
    { name: `lib.${r.name}.evalNs`, value: m.evalNs, unit: 'ns' },
    { name: `lib.${r.name}.vsDirectCall`, value: m.baselineRatio ?? NaN, unit: 'x' },
    { name: `lib.${r.name}.compileUs`, value: m.compileUs, unit: 'us' },
  );
}

process.stdout.write(
  JSON.stringify({
    bench: 'cel/reference',
    results,
    notes:
      'spec with 8 items; ints converted to BigInt as kro sees them; eval = generated fast path with interpreter fallback',
  }) + '\n',
);
