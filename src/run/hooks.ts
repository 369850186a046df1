/**
 * Extension points around a run's lifecycle, for what runs a study from outside a laptop: the
 * worker barriers of a distributed run and the results ConfigMap of an in-cluster run (src/deploy).
 * The run itself knows nothing of either.
 */
import type { Logger } from '../core/logger.js';
import type { Target } from '../phases/types.js';
import type { PhaseResult, Results } from '../results/types.js';

export interface HookContext {
  runId: string;
  /** The run's output directory (results.json, reports). */
  outDir: string;
  target: Target;
  /** The run's results as they stand; hooks may annotate them (e.g. `worker`). */
  results: Results;
  log: Logger;
  signal: AbortSignal;
}

export interface RunHooks {
  /** The target is open and nothing was sent yet (a start barrier). A throw ends the run as invalid. */
  beforePhases?(ctx: HookContext): Promise<void>;
  /** results.json was just written after a phase (a checkpoint). A throw is a warning. */
  afterPhase?(ctx: HookContext, phase: PhaseResult): Promise<void>;
  /**
   * Every phase ran; cleanup is next (an end barrier). Returns whether this process should also run
   * the run-level cleanup (false leaves it to another worker). A throw is a warning.
   */
  beforeCleanup?(ctx: HookContext): Promise<boolean>;
  /** results.json (analysed) and the reports are written. A throw is a warning on stderr. */
  finished?(ctx: HookContext, outcome: { results: Results; outDir: string; exitCode: number }): Promise<void>;
}

/** Several hooks as one, called in order. */
export function composeHooks(list: (RunHooks | undefined)[]): RunHooks {
  const hooks = list.filter((h): h is RunHooks => !!h);
  return {
    async beforePhases(ctx) {
      for (const h of hooks) await h.beforePhases?.(ctx);
    },
    async afterPhase(ctx, phase) {
      for (const h of hooks) await h.afterPhase?.(ctx, phase);
    },
    async beforeCleanup(ctx) {
      let cleanup = true;
      for (const h of hooks) if (h.beforeCleanup && !(await h.beforeCleanup(ctx))) cleanup = false;
      return cleanup;
    },
    async finished(ctx, outcome) {
      for (const h of hooks) await h.finished?.(ctx, outcome);
    },
  };
}
