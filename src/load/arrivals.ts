/**
 * Open-model arrival schedules: the intended start time (ms from the load start) of each request.
 * Latency is measured from these times, not from when a request actually went out, so a stalled
 * server or a saturated client shows up in the percentiles instead of silently slowing the load down
 * (coordinated omission). Deterministic for a given seed so runs can be replayed.
 */
import { seededRandom } from '../core/random.js';

export interface RateStep {
  /** Arrivals per second during this step. */
  rate: number;
  durationMs: number;
}

export type ArrivalSpec =
  | { kind: 'constant'; rate: number }
  | { kind: 'poisson'; rate: number; seed: number }
  | { kind: 'ramp'; from: number; to: number; durationMs: number }
  | { kind: 'steps'; steps: RateStep[] };

/**
 * Yields intended offsets (ms) in increasing order. Finite for ramp/steps (ends with the schedule),
 * infinite for constant/poisson (the caller bounds it by count or duration).
 */
export function* arrivalOffsets(spec: ArrivalSpec): Generator<number> {
  switch (spec.kind) {
    case 'constant': {
      if (!(spec.rate > 0)) return;
      const gap = 1000 / spec.rate;
      for (let i = 0; ; i++) yield i * gap;
    }
    case 'poisson': {
      if (!(spec.rate > 0)) return;
      const rnd = seededRandom(spec.seed);
      let t = 0;
      for (;;) {
        yield t;
        // Exponential inter-arrival gaps; 1 - u keeps log away from 0.
        t += (-Math.log(1 - rnd()) * 1000) / spec.rate;
      }
    }
    case 'ramp': {
      // Rate r(t) = from + (to-from)·t/D; cumulative N(t) = from·t + (to-from)·t²/(2D) (t in s).
      const D = spec.durationMs / 1000;
      const a = (spec.to - spec.from) / (2 * D);
      const b = spec.from;
      const total = b * D + a * D * D;
      for (let n = 0; n < total; n++) {
        const t = Math.abs(a) < 1e-12 ? n / b : (-b + Math.sqrt(b * b + 4 * a * n)) / (2 * a);
        yield t * 1000;
      }
      return;
    }
    case 'steps': {
      let base = 0;
      for (const s of spec.steps) {
        if (s.rate > 0) {
          const gap = 1000 / s.rate;
          for (let t = 0; t < s.durationMs - 1e-9; t += gap) yield base + t;
        }
        base += s.durationMs;
      }
      return;
    }
  }
}

/** Length of a finite schedule in ms (undefined for unbounded ones). */
export function scheduleDurationMs(spec: ArrivalSpec): number | undefined {
  if (spec.kind === 'ramp') return spec.durationMs;
  if (spec.kind === 'steps') return spec.steps.reduce((s, x) => s + x.durationMs, 0);
  return undefined;
}
