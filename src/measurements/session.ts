/**
 * The measurements of one run: which entries apply to which phase, a preflight before the first
 * phase, and start/gather around each phase. A measurement that throws or cannot reach its source is
 * recorded as missing with the reason; it never fails the run or the phase.
 */
import type { MeasurementResult } from '../results/types.js';
import type { Measurement, MeasurementEnv, MeasurementHandle, MeasurementOutcome } from './types.js';

export interface MeasurementEntry {
  /** Results key: the entry's `name`, default its type. */
  name: string;
  type: string;
  /** Phase names it is scoped to; undefined: every phase that uses the cluster. */
  phases?: string[];
  options: unknown;
  measurement: Measurement;
  /** On by default (apiserverMetrics) rather than asked for: dropped quietly where the target cannot serve it. */
  implicit?: boolean;
}

export interface PhaseInfo {
  name: string;
  index: number;
  type: string;
  /** From the phase's plan: whether it talks to the cluster (unscoped measurements skip CPU-only phases). */
  needsCluster: boolean;
}

export interface PhaseMeasurements {
  /** Gathers every started measurement, in parallel; `endedAtMs` is the wall-clock end of the phase's work. */
  gather(endedAtMs: number): Promise<Record<string, MeasurementResult>>;
}

export class MeasurementSession {
  private readonly disabled = new Set<string>();

  constructor(
    readonly entries: readonly MeasurementEntry[],
    private readonly env: MeasurementEnv,
  ) {}

  /** Problems found before any load is sent (e.g. a PromQL syntax error), each naming the measurement. */
  async preflight(): Promise<string[]> {
    const out = await Promise.all(
      this.entries.map(async (e) =>
        e.measurement.preflight ? e.measurement.preflight(e.options, this.env, e.name).catch(() => []) : [],
      ),
    );
    return out.flat();
  }

  applies(e: MeasurementEntry, phase: PhaseInfo): boolean {
    if (this.disabled.has(e.name)) return false;
    return e.phases ? e.phases.includes(phase.name) : phase.needsCluster;
  }

  async start(phase: PhaseInfo): Promise<PhaseMeasurements | undefined> {
    const chosen = this.entries.filter((e) => this.applies(e, phase));
    if (!chosen.length) return undefined;
    const startedAtMs = Date.now();
    const handles = await Promise.all(
      chosen.map(async (e) => {
        try {
          const h = await e.measurement.start(e.options, {
            ...this.env,
            name: e.name,
            phase: { name: phase.name, index: phase.index, type: phase.type },
            startedAtMs,
          });
          return { e, h };
        } catch (err) {
          return { e, error: `start failed: ${(err as Error)?.message ?? String(err)}` };
        }
      }),
    );
    return {
      gather: async (endedAtMs) => {
        const out: Record<string, MeasurementResult> = {};
        const results = await Promise.all(
          handles.map(async ({ e, h, error }) => {
            const outcome = error
              ? ({ status: 'missing', message: error } as MeasurementOutcome)
              : await gatherSafely(h!, endedAtMs);
            return { e, outcome };
          }),
        );
        for (const { e, outcome } of results) {
          if (e.implicit && outcome.status === 'missing') {
            // Default-on and the target cannot serve it: say so once, then stop trying.
            this.disabled.add(e.name);
            this.env.log.info(`${e.name}: not measured on this target (${outcome.message ?? 'no data'})`);
            continue;
          }
          if (outcome.status !== 'ok') {
            this.env.log.warn(`measurement ${e.name}: ${outcome.status}: ${outcome.message ?? ''}`);
          }
          out[e.name] = { type: e.type, ...outcome };
        }
        return out;
      },
    };
  }
}

async function gatherSafely(h: MeasurementHandle, endedAtMs: number): Promise<MeasurementOutcome> {
  try {
    return await h.gather(endedAtMs);
  } catch (err) {
    return { status: 'missing', message: `gather failed: ${(err as Error)?.message ?? String(err)}` };
  }
}
