/**
 * Monotonic time for every measured figure. Wall-clock time (Date) is only used for timestamps
 * that are shown to people (startedAt/endedAt), never for durations.
 */
export interface Clock {
  /** Monotonic milliseconds with sub-µs resolution (performance.now()). */
  nowMs(): number;
  /** Monotonic nanoseconds as a bigint (process.hrtime.bigint()), for sub-µs benchmarks. */
  nowNs(): bigint;
  /** Wall-clock ISO timestamp, for display only. */
  wallIso(): string;
}

export const systemClock: Clock = {
  nowMs: () => performance.now(),
  nowNs: () => process.hrtime.bigint(),
  wallIso: () => new Date().toISOString(),
};
