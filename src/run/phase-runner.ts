/**
 * Runs one phase of a study (with its repeats) and turns what it recorded into a PhaseResult.
 * A phase that throws is recorded as failed with its message; results are never lost.
 */
import type { Clock } from '../core/clock.js';
import { isKubeperfError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ProgressReporter } from '../core/progress.js';
import type { ResolvedPhase } from '../config/load.js';
import { usageWarnings, type UsageSampler } from '../metrics/control-plane-usage.js';
import { mergeOpMaps } from '../metrics/merge.js';
import { Recorder } from '../metrics/recorder.js';
import type { PhaseObserve, PhaseOutput, Target } from '../phases/types.js';
import type { PhaseMeasurements } from '../measurements/session.js';
import type { OpStats, PhaseResult } from '../results/types.js';
import { settleWithin } from './interrupt.js';
import type { WorkerShare } from '../load/share.js';

export interface PhaseEnv {
  runId: string;
  baseDir: string;
  outDir: string;
  target: Target;
  clock: Clock;
  signal: AbortSignal;
  log: Logger;
  progress: (phaseName: string) => ProgressReporter;
  /** A control-plane usage sampler, for phases that use the cluster when the target exposes /metrics. */
  usage?: () => UsageSampler | undefined;
  onCleanup: (fn: () => Promise<void>) => void;
  /** Starts the study's measurements for this phase (src/measurements); gathered after its work. */
  measure?: () => Promise<PhaseMeasurements | undefined>;
  /** Live view of each repeat's Recorder (kubeperf's exporter reads it on scrape, never per request). */
  onRecorder?: (phase: { name: string; type: string }, recorder: Recorder) => void;
  /** The run's metrics plumbing handed to phases (query endpoint, registerProcess, scrape targets). */
  observe?: PhaseObserve;
  /** How long in-flight work may take to finish after an interrupt. */
  drainMs?: number;
  /**
   * Called when the phase starts with a function that returns what it measured so far, as an
   * interrupted PhaseResult (a second Ctrl-C writes it instead of losing the phase).
   */
  onRunning?: (partial: () => PhaseResult) => void;
  /** This process runs one worker's share of a distributed run. */
  share?: WorkerShare;
  /** Where the run publishes results when that is not the target (PhaseContext.resultsTarget). */
  resultsTarget?: Target;
}

export async function runPhase(phase: ResolvedPhase, index: number, env: PhaseEnv): Promise<PhaseResult> {
  const startedAt = env.clock.wallIso();
  const t0 = env.clock.nowMs();
  const log = env.log.child(phase.name);
  // A distributed run: a phase type that cannot split its work runs on worker 0 alone, so nothing
  // is done N times over (the merge takes worker 0's result for it).
  const distributed = env.share && env.share.count > 1 ? env.share : undefined;
  if (distributed && !phase.phaseType.splitsWork && distributed.index !== 0) {
    log.info(`runs on worker 0 only: phase type ${phase.type} does not split its work`);
    return {
      name: phase.name,
      type: phase.type,
      tags: phase.tags,
      startedAt,
      endedAt: env.clock.wallIso(),
      durationMs: 0,
      status: 'skipped',
      ops: {},
      warnings: [`worker ${distributed.index}: skipped; phase type ${phase.type} runs on worker 0 only`],
    };
  }
  const sampler = env.usage?.();
  sampler?.start();
  const measuring = await env.measure?.();

  const repeats: { ops: Record<string, OpStats> }[] = [];
  let output: PhaseOutput = {};
  let status: PhaseResult['status'] = 'ok';
  let error: string | undefined;
  let recorder: Recorder | undefined;

  const build = (
    status: PhaseResult['status'],
    resources: PhaseResult['resources'],
    end = { endedAt: env.clock.wallIso(), nowMs: env.clock.nowMs() },
  ): PhaseResult => {
    const result: PhaseResult = {
      name: phase.name,
      type: phase.type,
      tags: phase.tags,
      startedAt,
      endedAt: end.endedAt,
      durationMs: Math.round((end.nowMs - t0) * 100) / 100,
      status,
      ops: mergeOpMaps(repeats.map((r) => r.ops)),
    };
    if (error) result.error = error;
    if (repeats.length > 1) result.repeats = repeats;
    if (output.sweeps) result.sweeps = output.sweeps;
    if (output.data) result.data = output.data;
    if (output.warnings?.length) result.warnings = output.warnings;
    if (output.invalidReasons?.length) result.invalidReasons = output.invalidReasons;
    if (output.thresholds?.length) result.thresholds = output.thresholds;
    if (resources) result.resources = resources;
    return result;
  };
  env.onRunning?.(() => {
    const running = recorder;
    if (running) repeats.push({ ops: running.snapshot() });
    try {
      return build(status === 'failed' ? status : 'interrupted', undefined);
    } finally {
      if (running) repeats.pop();
    }
  });

  for (let r = 0; r < phase.repeat && !env.signal.aborted; r++) {
    if (phase.repeat > 1) log.info(`repeat ${r + 1}/${phase.repeat}`);
    recorder = new Recorder(env.clock.nowMs());
    env.onRecorder?.(phase, recorder);
    const progress = env.progress(phase.repeat > 1 ? `${phase.name} ${r + 1}/${phase.repeat}` : phase.name);
    const running = phase.phaseType.run(phase.options, {
      runId: env.runId,
      baseDir: env.baseDir,
      outDir: env.outDir,
      phaseName: phase.name,
      phaseIndex: index,
      tags: phase.tags,
      target: env.target,
      clock: env.clock,
      recorder,
      signal: env.signal,
      progress,
      log,
      onCleanup: env.onCleanup,
      observe: env.observe,
      ...(distributed && phase.phaseType.splitsWork ? { share: distributed } : {}),
      ...(env.resultsTarget ? { resultsTarget: env.resultsTarget } : {}),
    });
    try {
      output = await untilDoneOrDrained(running, env);
    } catch (e) {
      status = 'failed';
      error = isKubeperfError(e) ? e.message : `${(e as Error)?.message ?? String(e)}`;
      log.error(`failed: ${error}`);
    } finally {
      progress.finish();
    }
    repeats.push({ ops: output.ops ?? recorder.snapshot() });
    recorder = undefined;
    if (status === 'failed') break;
  }
  if (env.signal.aborted && status === 'ok') status = 'interrupted';
  // Measurements are gathered as of the moment the phase's work ended.
  const workEndedAtMs = Date.now();
  const end = { endedAt: env.clock.wallIso(), nowMs: env.clock.nowMs() };
  // Together, so their end-of-phase scrapes of /metrics coincide and are shared (run/target.ts).
  const [sampled, measurements] = await Promise.all([
    output.resources ? undefined : sampler?.stop(),
    measuring?.gather(workEndedAtMs),
  ]);
  const ended = build(status, output.resources ?? sampled, end);
  const usage = usageWarnings(ended.resources);
  if (usage.length) (ended.warnings ??= []).push(...usage);
  if (measurements && Object.keys(measurements).length) {
    ended.measurements = measurements;
    for (const [name, m] of Object.entries(measurements))
      if (m.status !== 'ok')
        (ended.warnings ??= []).push(`measurement ${name}: ${m.status}: ${m.message ?? ''}`);
  }
  return ended;
}

/** Waits for the phase; after an interrupt, only for a bounded drain of in-flight work. */
async function untilDoneOrDrained(running: Promise<PhaseOutput>, env: PhaseEnv): Promise<PhaseOutput> {
  if (!env.signal.aborted) {
    const aborted = new Promise<'aborted'>((resolve) =>
      env.signal.addEventListener('abort', () => resolve('aborted'), { once: true }),
    );
    const first = await Promise.race([running, aborted]);
    if (first !== 'aborted') return first;
  }
  const drained = await settleWithin(running, env.drainMs ?? 10_000);
  if (drained.done) return drained.value;
  env.log.warn(
    `in-flight work did not finish within ${(env.drainMs ?? 10_000) / 1000}s of the interrupt; recording what was measured`,
  );
  running.catch(() => {});
  return {};
}
