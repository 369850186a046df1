/**
 * The analysis step of a run: statistics, thresholds and SLO checks, the invalid-run guard, scaling
 * fits and generated recommendations, written into results (verdict, verdictReasons, thresholds,
 * analysis). Verdict precedence: invalid > fail > pass.
 */
import { ExitCode } from '../core/errors.js';
import type { Results, Verdict } from '../results/types.js';
import { invalidReasons, type GuardOptions } from './guard.js';
import { analyzePhase } from './op-analysis.js';
import { recommend } from './recommendations.js';
import { fitSweeps } from './scaling-analysis.js';
import { evaluateSlos } from './slo.js';
import { evaluateThresholds } from './thresholds.js';
import type { Analysis } from './types.js';

export interface AnalyzeOptions {
  thresholds: string[];
  /** Also check the built-in Kubernetes API call SLOs. */
  slo: boolean;
  guard: GuardOptions;
  /** Reasons the run is invalid that only the runner knows (it did not complete, a second Ctrl-C). */
  invalid?: string[];
}

export function analyzeResults(results: Results, options: AnalyzeOptions): Results {
  const thresholds = [
    ...evaluateThresholds(results, [
      ...options.thresholds,
      ...results.phases.flatMap((p) => p.thresholds ?? []),
    ]),
    ...(options.slo ? evaluateSlos(results) : []),
  ];
  const invalid = [...(options.invalid ?? []), ...invalidReasons(results, options.guard)];
  const failed = thresholds.filter((t) => !t.pass);
  const verdict: Verdict = invalid.length ? 'invalid' : failed.length ? 'fail' : 'pass';
  const verdictReasons = [
    ...invalid,
    ...failed.map((t) => `${t.source === 'slo' ? 'SLO' : 'threshold'} failed: ${t.expression}: ${t.message}`),
  ];
  const withThresholds: Results = { ...results, thresholds, verdict, verdictReasons };
  return {
    ...withThresholds,
    analysis: buildAnalysis(withThresholds, invalid) as unknown as Record<string, unknown>,
  };
}

/** Statistics, fits and recommendations for results whose verdict and thresholds are already set. */
export function buildAnalysis(results: Results, invalid: string[] = []): Analysis {
  const phases = results.phases.map(analyzePhase);
  const scaling = results.phases.flatMap(fitSweeps);
  return {
    version: 1,
    confidence: 0.95,
    phases,
    scaling,
    recommendations: recommend(results, phases, scaling, invalid),
  };
}

/** Exit code of a finished run by verdict: pass 0, fail 3 (threshold/SLO), invalid 4. */
export function exitCodeForVerdict(verdict: Verdict): ExitCode {
  return verdict === 'pass'
    ? ExitCode.ok
    : verdict === 'fail'
      ? ExitCode.thresholdFailed
      : ExitCode.runInvalid;
}
