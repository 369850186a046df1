/** Shape of results.analysis (schemaVersion 1 keeps it an open record; this is what we write). */
import type { LatencySummaryMs } from '../metrics/histogram.js';
import type { Interval } from './stats.js';
import type { Knee, LinearFit, PowerFit } from './scaling.js';

export interface OpAnalysis {
  count: number;
  errors: number;
  errorRate: number;
  throughput: number;
  latencyMs: LatencySummaryMs;
  steadyState: {
    windows: number;
    warmupWindows: number;
    trailingPartialWindows: number;
    steadyFromS: number;
    note: string;
    /** Interleaved rounds kept, and leading rounds dropped as warm-up (when the op ran in rounds). */
    rounds?: number;
    warmupRounds?: number;
    /** Steady successful ops/s: the median of steady rounds, else the mean of steady windows. */
    throughput?: number;
  };
  /** 95% confidence intervals. */
  ci: { p50?: Interval; p99?: Interval; throughput?: Interval };
}

export interface PhaseAnalysis {
  name: string;
  type: string;
  ops: Record<string, OpAnalysis>;
  repeats?: number;
}

export interface ScalingFit {
  phase: string;
  parameter: string;
  unit?: string;
  metric: string;
  points: { x: number; y: number }[];
  linear?: LinearFit;
  power?: PowerFit;
  knee?: Knee;
}

export interface Recommendation {
  area: 'validity' | 'thresholds' | 'api' | 'errors' | 'cel' | 'graph' | 'scaling' | 'resources' | 'noise';
  text: string;
}

export interface Analysis {
  version: 1;
  confidence: number;
  phases: PhaseAnalysis[];
  scaling: ScalingFit[];
  recommendations: Recommendation[];
}

export function readAnalysis(a: unknown): Analysis | undefined {
  const x = a as Partial<Analysis> | undefined;
  return x && x.version === 1 && Array.isArray(x.phases) ? (x as Analysis) : undefined;
}
