/**
 * The run lifecycle: study → plan → target → phases (results.json written atomically after each) →
 * cleanup → analysis (verdict, thresholds) → reports. Used by `kubeperf run` and every `kubeperf bench`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeResults, exitCodeForVerdict } from '../analysis/analyze.js';
import { loadStudyObject, type LoadedStudy } from '../config/load.js';
import { buildPlan } from '../config/plan.js';
import { systemClock, type Clock } from '../core/clock.js';
import { ExitCode, InterruptedError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { UsageSampler, usageIntervalMs } from '../metrics/control-plane-usage.js';
import { runWarmup, warmupSettings } from '../phases/crud/warmup.js';
import { builtinRegistry } from '../phases/builtin.js';
import type { PhaseRegistry } from '../phases/registry.js';
import type { Target } from '../phases/types.js';
import { writeReports, type ReportFiles } from '../report/write.js';
import { writeResultsFile } from '../results/file.js';
import type { PhaseResult, Results } from '../results/types.js';
import { toolVersion } from '../core/version.js';
import { progressFactory, type ProgressFactory } from './progress.js';
import { describeEnvironment } from './environment.js';
import { watchInterrupts } from './interrupt.js';
import { runPhase } from './phase-runner.js';
import { newRunId } from './run-id.js';
import { openTarget, type OpenTarget } from './target.js';
import { openObservability, type Observability } from './observability.js';
import type { HookContext, RunHooks } from './hooks.js';
import type { WorkerShare } from '../load/share.js';

export interface RunStudyOptions {
  /** Name shown in errors: the study file, or e.g. "kubeperf bench crud". */
  source: string;
  baseDir?: string;
  kubeconfig?: string;
  context?: string;
  /** The run's output directory (default kubeperf-results/<run-id>). */
  out?: string;
  keep?: boolean;
  /** Only recorded for the caller's convenience: printing is the command's job (src/cli/summary.ts). */
  json?: boolean;
  set?: string[];
  registry?: PhaseRegistry;
  log?: Logger;
  progress?: ProgressFactory;
  clock?: Clock;
  /** Serve kubeperf's own /metrics on this port during the run (0: a free port). */
  metricsPort?: number;
  /** Use this run id (the workers of one distributed run share it; `kubeperf deploy` fixes it up front). */
  runId?: string;
  /** This process runs one worker's share of a distributed run. */
  share?: WorkerShare;
  /** Worker barriers, results ConfigMap (src/deploy). */
  hooks?: RunHooks;
  /**
   * The cluster where results are published when it is not the target (`--results-kubeconfig`):
   * resolved before the first phase and handed to phases as PhaseContext.resultsTarget.
   */
  resultsTarget?: () => Promise<Target>;
  /** Notes about how the study was obtained (a translated kube-burner config), kept as warnings. */
  notes?: string[];
}

export interface RunOutcome {
  results: Results;
  outDir: string;
  exitCode: number;
  /** The report files written beside results.json. */
  reports: ReportFiles;
}

/** Runs a study given as an object (the bench commands build one-phase studies). */
export async function runStudyObject(config: unknown, options: RunStudyOptions): Promise<RunOutcome> {
  const registry = options.registry ?? builtinRegistry();
  const loaded = loadStudyObject(config, options.source, options.baseDir ?? process.cwd(), {
    registry,
    set: options.set,
  });
  return executeStudy(loaded, options);
}

export async function executeStudy(loaded: LoadedStudy, options: RunStudyOptions): Promise<RunOutcome> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger();
  const runId = options.runId ?? newRunId();
  const hooks = options.hooks ?? {};
  const plan = buildPlan(loaded, { runId, kubeconfig: options.kubeconfig, context: options.context });
  const outDir = resolve(options.out ?? loaded.study.output?.dir ?? join('kubeperf-results', runId));
  const resultsPath = join(outDir, 'results.json');

  const results: Results = {
    schemaVersion: 1,
    runId,
    name: loaded.study.name,
    tool: { name: 'kubeperf', version: toolVersion() },
    environment: describeEnvironment(),
    target: { kind: plan.target.kind, server: '', version: '' },
    startedAt: clock.wallIso(),
    endedAt: null,
    interrupted: false,
    config: loaded.configForResults,
    verdict: 'pass',
    verdictReasons: [],
    phases: [],
    thresholds: [],
    warnings: [...(options.notes ?? [])],
  };
  /** Why the run is invalid beyond what the guard sees in the phases (it did not complete…). */
  const invalid: string[] = [];
  const analyse = () =>
    analyzeResults(results, {
      thresholds: loaded.study.thresholds,
      slo: loaded.study.slo,
      guard: { maxErrorRate: loaded.study.guard.maxErrorRate },
      invalid,
    });
  // The results folder exists once the target is open: a run that never started writes nothing.
  let started = false;
  const save = () => started && writeResultsFile(resultsPath, results);

  let open: OpenTarget | undefined;
  /** What the phase in progress measured so far (for a second Ctrl-C). */
  let inProgress: (() => PhaseResult) | undefined;
  const interrupts = watchInterrupts(() => {
    // Second Ctrl-C: no more waiting, but what was measured is kept (the one exit outside cli/main).
    if (!started) {
      process.stderr.write('interrupted again before the run started: nothing was measured or written\n');
      process.exit(ExitCode.interrupted);
    }
    const cut = inProgress?.();
    if (cut) results.phases.push(cut);
    results.interrupted = true;
    results.endedAt = clock.wallIso();
    invalid.push('interrupted twice: the phase in progress was cut short and cleanup was skipped');
    const analysed = analyse();
    writeResultsFile(resultsPath, analysed);
    const lines = [
      `interrupted again: results kept in ${resultsPath} (verdict ${analysed.verdict}); reports: kubeperf report ${resultsPath}`,
    ];
    const leftovers = leftoverHint(open?.target, runId);
    if (leftovers) lines.push(leftovers);
    process.stderr.write(lines.join('\n') + '\n');
    process.exit(ExitCode.interrupted);
  }, log.warn);

  let obs: Observability | undefined;
  let resultsTarget: Target | undefined;
  try {
    open = await openTarget(plan, loaded.study, {
      baseDir: loaded.baseDir,
      kubeconfigFlag: options.kubeconfig,
      contextFlag: options.context,
      log,
    });
  } catch (e) {
    interrupts.dispose();
    throw e;
  }
  // Until the run counts as started, a failure or an interrupt stops the target and writes nothing.
  try {
    // Checked up front: a results cluster that cannot be reached is bad input before anything is sent.
    resultsTarget = await options.resultsTarget?.();
    // Named once the target is open: a run that cannot reach its target writes no folder to point at.
    log.info(`run ${runId}: ${loaded.study.name}, ${plan.phases.length} phase(s) → ${outDir}`);
    // The metrics stack and exporter come up before the run counts as started: one that cannot start
    // (a missing Prometheus binary, a taken port) leaves no results folder behind.
    if (!interrupts.signal.aborted) {
      obs = await openObservability(loaded, open, {
        runId,
        metricsPort: options.metricsPort,
        clock,
        log,
        signal: interrupts.signal,
      });
    }
    if (interrupts.signal.aborted || !obs) {
      await obs?.stop();
      throw new InterruptedError(
        'interrupted before the first phase started: nothing was measured or written',
      );
    }
  } catch (e) {
    await open.stop().catch(() => {});
    interrupts.dispose();
    throw e;
  }
  mkdirSync(outDir, { recursive: true });
  started = true;
  results.target = {
    kind: open.target.kind,
    server: open.target.server,
    version: open.target.version,
    ...(open.target.context ? { context: open.target.context } : {}),
  };
  save();
  if (options.keep) results.warnings.push(...keepNotes(loaded, open.target.kind));
  const hookCtx: HookContext = {
    runId,
    outDir,
    target: open.target,
    results,
    log,
    signal: interrupts.signal,
  };
  const hookWarning = (what: string) => (e: unknown) =>
    results.warnings.push(`${what}: ${(e as Error)?.message ?? String(e)}`);

  const cleanups: (() => Promise<void>)[] = [];
  const target = open;
  try {
    const baseProgress = options.progress ?? progressFactory();
    const exporter = obs.exporter;
    const progress: ProgressFactory = exporter ? (p) => exporter.progress(p, baseProgress(p)) : baseProgress;
    const session = obs.session;
    const usageInterval = usageIntervalMs(loaded.study.controlPlaneUsage);
    const warm = warmupSettings(loaded.study.warmup);
    if (warm && target.target.kind !== 'none' && plan.phases.some((p) => p.plan.needsCluster)) {
      // JIT, connections and server caches warm before the first measured phase; reported apart.
      results.warmup = await runWarmup(target.target, {
        ...warm,
        runId,
        // Workers of one distributed run share the run id: each warms up on names of its own.
        job: options.share && options.share.count > 1 ? `warmup-w${options.share.index}` : 'warmup',
        signal: interrupts.signal,
        log,
        onCleanup: (fn) => cleanups.push(fn),
      }).catch((e) => {
        results.warnings.push(`warm-up failed: ${(e as Error).message}; the first phase ran cold`);
        return undefined;
      });
      // A /metrics reading now, outside any phase, is the first phase's start reading (reused).
      if (target.usage?.source.method === 'metrics') await target.usage.source.read().catch(() => {});
      save();
    }
    // After the warm-up, so every worker of a distributed run starts its measured load together.
    if (hooks.beforePhases) {
      await hooks.beforePhases(hookCtx);
      save();
    }
    for (const [i, phase] of loaded.phases.entries()) {
      if (interrupts.signal.aborted) break;
      log.info(`phase ${i + 1}/${loaded.phases.length}: ${phase.name} (${phase.type})`);
      const result = await runPhase(phase, i, {
        runId,
        baseDir: loaded.baseDir,
        outDir,
        target: target.target,
        clock,
        signal: interrupts.signal,
        log,
        progress,
        // The plan already says whether the phase uses the cluster; CPU-only phases are not sampled.
        usage:
          target.usage && usageInterval !== false && plan.phases[i]!.plan.needsCluster
            ? () =>
                new UsageSampler(target.usage!.source, {
                  intervalMs: usageInterval,
                  maxCores: target.usage!.maxCores,
                })
            : undefined,
        onCleanup: (fn) => cleanups.push(fn),
        measure: session
          ? () =>
              session.start({
                name: phase.name,
                index: i,
                type: phase.type,
                needsCluster: plan.phases[i]!.plan.needsCluster,
              })
          : undefined,
        onRecorder: exporter ? (p, recorder) => exporter.watch(p.name, recorder, p.type) : undefined,
        observe: obs.observe,
        onRunning: (partial) => (inProgress = partial),
        share: options.share,
        resultsTarget,
      });
      inProgress = undefined;
      exporter?.phaseEnded(result);
      results.phases.push(result);
      save();
      await hooks.afterPhase?.(hookCtx, result).catch(hookWarning('checkpoint'));
      if (result.status === 'failed') {
        results.warnings.push(`phase ${phase.name} failed; the phases after it were not run`);
        break;
      }
    }
  } catch (e) {
    // Not a phase failure (those are recorded above): the file must not look like a clean run.
    const msg = (e as Error)?.message ?? String(e);
    invalid.push(`the run did not complete: ${msg}`);
    log.error(`the run did not complete: ${msg}`);
  } finally {
    inProgress = undefined;
    results.interrupted = interrupts.interrupted();
    // A worker meets the others before cleanup, so nobody deletes what others still measure.
    const runLevelCleanup = hooks.beforeCleanup
      ? await hooks.beforeCleanup(hookCtx).catch((e) => (hookWarning('before cleanup')(e), true))
      : true;
    if (options.keep) {
      if (target.target.kind === 'kubeconfig')
        log.info(
          `--keep: objects of run ${runId} left in place; remove them with: ${cleanupCommand(runId, target.target)}`,
        );
    } else {
      for (const fn of cleanups.reverse()) {
        await fn().catch((e) => results.warnings.push(`cleanup: ${(e as Error).message}`));
      }
      if (target.cleanupRun && results.phases.length && runLevelCleanup) {
        await target
          .cleanupRun(runId, log)
          .catch((e) => results.warnings.push(`cleanup: ${(e as Error).message}`));
      }
    }
    await obs.stop();
    await target.stop().catch((e) => log.warn(`stopping the target: ${(e as Error).message}`));
    interrupts.dispose();
    results.endedAt = clock.wallIso();
    save();
  }

  const analysed = analyse();
  writeResultsFile(resultsPath, analysed);
  const formats = new Set(loaded.study.output?.formats ?? ['json', 'html', 'md', 'junit']);
  const reports = {
    html: formats.has('html') ? join(outDir, 'report.html') : undefined,
    md: formats.has('md') ? join(outDir, 'report.md') : undefined,
    junit: formats.has('junit') ? join(outDir, 'junit.xml') : undefined,
  };
  await writeReports(analysed, reports);

  // results.json and the exit code always agree: invalid → 4, fail → 3; an interrupt wins (130).
  const exitCode = analysed.interrupted ? ExitCode.interrupted : exitCodeForVerdict(analysed.verdict);
  await hooks
    .finished?.({ ...hookCtx, results: analysed }, { results: analysed, outDir, exitCode })
    .catch((e) => log.warn(`${(e as Error)?.message ?? String(e)}`));
  return { results: analysed, outDir, exitCode, reports };
}

/** `kubeperf cleanup` for this run's kubeconfig target, with the flags that select it. */
function cleanupCommand(runId: string, target: Target): string {
  const flags = [
    target.kubeconfigPath ? ` --kubeconfig ${target.kubeconfigPath}` : '',
    target.context ? ` --context ${target.context}` : '',
  ].join('');
  return `kubeperf cleanup --run-id ${runId}${flags}`;
}

/** After a cut-short run: where objects of the run may remain, and the command that removes them. */
function leftoverHint(target: Target | undefined, runId: string): string | undefined {
  if (!target || target.kind !== 'kubeconfig') return undefined;
  return `objects this run created may remain on ${target.server}; remove them with: ${cleanupCommand(runId, target)}`;
}

/** What --keep does and does not keep in this study. */
function keepNotes(loaded: LoadedStudy, kind: Target['kind']): string[] {
  if (kind === 'embedded')
    return ['--keep has no lasting effect on the embedded control plane: it stops with the run'];
  return loaded.phases
    .filter((p) => p.type === 'crud')
    .map(
      (p) =>
        `--keep: phase ${p.name} (crud) deletes its objects itself in every cycle (the delete step is part of what it measures), so none of them are kept`,
    );
}
