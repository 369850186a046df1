import { describe, expect, it } from 'vitest';
import { ExitCode } from '../core/errors.js';
import { ResultsSchema } from '../results/types.js';
import { analyzeResults, exitCodeForVerdict } from './analyze.js';
import { crudPhase, fullResults, makeResults } from './test-fixtures.js';
import { readAnalysis } from './types.js';

const guard = { maxErrorRate: 0.05 };
// Built once: analyzeResults never mutates its input.
const full = fullResults();

describe('analyzeResults', () => {
  it('passes a healthy run and fills a schema-valid analysis', () => {
    const r = analyzeResults(full, {
      thresholds: ['create.p99 < 500ms', 'errors.rate < 1%'],
      slo: true,
      guard,
    });
    expect(r.verdict).toBe('pass');
    expect(r.verdictReasons).toEqual([]);
    expect(ResultsSchema.safeParse(r).success).toBe(true);
    expect(r.thresholds.filter((t) => t.source === 'slo').map((t) => t.expression)).toContain(
      'crud:list.p99 <= 30s',
    );
    const a = readAnalysis(r.analysis)!;
    const create = a.phases[0].ops.create;
    expect(create.ci.p99!.low).toBeLessThanOrEqual(create.latencyMs.p99);
    expect(create.ci.p99!.high).toBeGreaterThanOrEqual(create.latencyMs.p99);
    // Its first of 5 rounds ran during the fixture's 2 s warm-up (3× latency, half rate).
    expect(create.steadyState).toMatchObject({ warmupRounds: 1, rounds: 4 });
    expect(exitCodeForVerdict(r.verdict)).toBe(ExitCode.ok);
  });

  it('fails on a threshold breach (exit 3) and says which', () => {
    const r = analyzeResults(full, { thresholds: ['crud:create.p99 < 1ms'], slo: false, guard });
    expect(r.verdict).toBe('fail');
    expect(r.verdictReasons[0]).toContain('crud:create.p99 < 1ms');
    expect(exitCodeForVerdict(r.verdict)).toBe(ExitCode.thresholdFailed);
    const recs = readAnalysis(r.analysis)!.recommendations.map((x) => x.text);
    expect(recs.some((t) => /crud\/create\.p99 is [\d,.]+ ms, [\d,.]+% over its limit/.test(t))).toBe(true);
  });

  it("evaluates a phase's built-in thresholds with the study's", () => {
    const phase = { ...crudPhase({ ops: ['create'] }), thresholds: ['crud:create.max < 1us'] };
    const r = analyzeResults(makeResults([phase]), { thresholds: ['create.p50 > 0ms'], slo: false, guard });
    expect(r.thresholds.map((t) => [t.expression, t.pass])).toEqual([
      ['create.p50 > 0ms', true],
      ['crud:create.max < 1us', false],
    ]);
    expect(r.verdict).toBe('fail');
  });

  it('fails an SLO when single-object calls are slower than 1 s', () => {
    const slow = makeResults([crudPhase({ ops: ['create'], scale: 300 })]);
    const r = analyzeResults(slow, { thresholds: [], slo: true, guard });
    expect(r.verdict).toBe('fail');
    expect(r.thresholds[0]).toMatchObject({ source: 'slo', pass: false, metric: 'crud/create.p99' });
  });

  it('is invalid above the error-rate guard, even when thresholds also fail', () => {
    const errs = makeResults([crudPhase({ ops: ['create'], errorRate: 0.2 })]);
    const r = analyzeResults(errs, { thresholds: ['create.p99 < 1ms'], slo: false, guard });
    expect(r.verdict).toBe('invalid');
    expect(r.verdictReasons[0]).toMatch(
      /error rate 2\d(\.\d+)?% .* above the guard's 5% \(TooManyRequests ×\d+\)/,
    );
    expect(exitCodeForVerdict(r.verdict)).toBe(ExitCode.runInvalid);
    const recs = readAnalysis(r.analysis)!.recommendations.map((x) => x.text);
    expect(recs.some((t) => t.includes('Priority and Fairness'))).toBe(true);
  });

  it('is invalid for a failed phase, declared invalid reasons, and an interruption with no data', () => {
    const p = crudPhase({ ops: ['create'] });
    expect(
      analyzeResults(makeResults([{ ...p, status: 'failed', error: 'boom' }]), {
        thresholds: [],
        slo: false,
        guard,
      }).verdictReasons,
    ).toEqual(['phase crud failed: boom']);
    expect(
      analyzeResults(makeResults([{ ...p, invalidReasons: ['watch lost'] }]), {
        thresholds: [],
        slo: false,
        guard,
      }).verdict,
    ).toBe('invalid');
    const empty = makeResults([{ ...p, ops: {} }], { interrupted: true });
    expect(analyzeResults(empty, { thresholds: [], slo: false, guard }).verdictReasons).toContain(
      'run was interrupted before any phase recorded data',
    );
  });

  it('takes confidence intervals over repeats when a phase declares repeat: N', () => {
    const phase = crudPhase({ ops: ['get'], seconds: 3 });
    const repeats = [1, 2, 3, 4].map((seed) => ({ ops: crudPhase({ seed, ops: ['get'], seconds: 3 }).ops }));
    const r = analyzeResults(makeResults([{ ...phase, repeats }]), { thresholds: [], slo: false, guard });
    const a = readAnalysis(r.analysis)!.phases[0];
    expect(a.repeats).toBe(4);
    const ci = a.ops.get.ci.p99!;
    expect(ci).toMatchObject({ method: 'bootstrap-repeats', n: 4 });
    const p99s = repeats.map((x) => x.ops.get.latencyMs.p99);
    expect(ci.low).toBeGreaterThanOrEqual(Math.min(...p99s));
    expect(ci.high).toBeLessThanOrEqual(Math.max(...p99s));
  });

  it('generates recommendations that cite fitted numbers', () => {
    const r = analyzeResults(full, { thresholds: [], slo: false, guard });
    const recs = readAnalysis(r.analysis)!.recommendations.map((x) => x.text);
    expect(recs).toContain(
      'sweep: create.throughput stops scaling beyond 8 workers: 1,200 /s at 8 vs 1,240 /s at 16 (3.3% of linear gain).',
    );
    expect(recs.some((t) => t.startsWith('sweep: memory (RSS) ≈ 119 MB + 500 KB per object (R² 1.00'))).toBe(
      true,
    );
    expect(
      recs.some((t) =>
        /expression pairwise-unique is O\(n²\): nested quantifiers \(depth 2\) \(48 µs\/eval, 565×/.test(t),
      ),
    ).toBe(true);
    expect(recs.some((t) => /graph: buildMs grows as nodes\^1\.10 \(linear/.test(t))).toBe(true);
  });
});

describe('recommendations from control-plane CPU samples', () => {
  it('never cites an impossible CPU sample as a peak, even from a results.json written before the sanity rule', () => {
    const phase = crudPhase({ ops: ['create'], seconds: 4 });
    phase.resources = {
      source: 'embedded API server /metrics',
      samples: [
        { t: 1, cpuCores: 0.9, rssBytes: 2e8 },
        { t: 2, cpuCores: 11.1, rssBytes: 2.8e9 }, // after a 13 s gap on a 2-core machine
        { t: 3, cpuCores: 1.1, rssBytes: 2e8 },
      ],
      cpuCores: { mean: 4.37, max: 11.1 },
      rssBytes: { mean: 1.07e9, max: 2.8e9 },
    };
    const r = analyzeResults(makeResults([phase]), { thresholds: [], slo: false, guard });
    const text = readAnalysis(r.analysis)!
      .recommendations.filter((x) => x.area === 'resources')
      .map((x) => x.text)
      .join('\n');
    expect(text).not.toMatch(/11\.1/);
    expect(text).toMatch(/peak 1\.1 cores, 55% of 2 CPUs/);
    expect(text).toMatch(/1 impossible or unreliable CPU sample\(s\) left out/);
  });

  it('says what sampling cost the API server', () => {
    const phase = crudPhase({ ops: ['create'], seconds: 4 });
    phase.resources = {
      source: 'API server /metrics',
      samples: [{ t: 10, cpuCores: 0.5, rssBytes: 2e8 }],
      cpuCores: { mean: 0.5, max: 0.5 },
      rssBytes: { mean: 2e8, max: 2e8 },
      sampling: {
        method: 'metrics',
        intervalMs: 10_000,
        scrapes: 2,
        bytesPerScrape: 2_400_000,
        serverCpuMsPerScrape: 31,
        shareOfServerCpu: 0.0124,
      },
    };
    const r = analyzeResults(
      makeResults([phase], {
        target: { kind: 'kubeconfig', server: 'https://10.0.0.1', version: 'v1.28.7' },
      }),
      {
        thresholds: [],
        slo: false,
        guard,
      },
    );
    const text = readAnalysis(r.analysis)!.recommendations.find((x) => x.area === 'resources')!.text;
    expect(text).toMatch(
      /2 \/metrics scrapes of 2\.4 MB, 31 ms of server CPU each \(1\.2% of its CPU in the phase\)/,
    );
    expect(text).not.toMatch(/of 2 CPUs/); // the server's machine is not this one
  });
});
