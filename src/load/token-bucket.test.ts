import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';
import { arrivalOffsets, scheduleDurationMs } from './arrivals.js';
import { backoffMs, defaultRetryPolicy, withRetries } from './retry.js';
import { runClosed, runOpen } from './executor.js';
import { incrementalSteps, JobOptions } from '../phases/job/options.js';
import { FakeClock } from '../core/fake-clock.js';

describe('token bucket (client-go semantics)', () => {
  it('starts full with burst tokens, then spaces requests at 1/qps in FIFO order', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket(10, 3, clock);
    expect([b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 0]);
    expect(b.reserve()).toBeCloseTo(100);
    expect(b.reserve()).toBeCloseTo(200);
    await clock.advance(1000); // a second later the bucket refilled: 10 tokens earned, 2 owed, capped at burst
    expect(b.reserve()).toBe(0);
  });

  it('qps 0 is unlimited', () => {
    const b = new TokenBucket(0, 1);
    for (let i = 0; i < 100; i++) expect(b.reserve()).toBe(0);
  });

  it('paces a closed-model run: 20 requests at qps 100 burst 1 start 10 ms apart, 0 … 190 ms', async () => {
    const clock = new FakeClock();
    const intended: number[] = [];
    const actual: number[] = [];
    const s = await clock.run(
      runClosed({
        total: 20,
        concurrency: 4,
        limiter: new TokenBucket(100, 1, clock),
        task: async (_i, t) => {
          intended.push(t);
          actual.push(clock.nowMs());
        },
      }),
    );
    expect(s).toMatchObject({ started: 20, dropped: 0 });
    expect(intended.map((t) => Math.round(t * 1000) / 1000)).toEqual(
      Array.from({ length: 20 }, (_, i) => i * 10),
    );
    expect(actual).toEqual(intended); // sent when the token matured, not before and not after
    expect(clock.nowMs()).toBeCloseTo(190, 9);
  });

  it('an aborted wait for a token rejects and leaves no timer behind', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket(1, 1, clock);
    await b.take();
    const ac = new AbortController();
    const waiting = b.take(ac.signal);
    expect(clock.pending).toBe(1);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(clock.pending).toBe(0);
  });
});

describe('arrival schedules', () => {
  const take = (g: Generator<number>, n: number) => Array.from({ length: n }, () => g.next().value as number);
  it('constant rate: evenly spaced', () => {
    expect(take(arrivalOffsets({ kind: 'constant', rate: 4 }), 4)).toEqual([0, 250, 500, 750]);
  });
  it('poisson: seeded (replayable) with the right mean gap', () => {
    const a = take(arrivalOffsets({ kind: 'poisson', rate: 100, seed: 7 }), 5000);
    const b = take(arrivalOffsets({ kind: 'poisson', rate: 100, seed: 7 }), 5000);
    expect(a).toEqual(b);
    expect(a[4999]! / 4999).toBeGreaterThan(9);
    expect(a[4999]! / 4999).toBeLessThan(11);
  });
  it('ramp: integrates the rate (0→100/s over 2 s = 100 arrivals), increasing density', () => {
    const r = [...arrivalOffsets({ kind: 'ramp', from: 0, to: 100, durationMs: 2000 })];
    expect(r).toHaveLength(100);
    expect(r[99]!).toBeLessThan(2000);
    expect(r[1]! - r[0]!).toBeGreaterThan(r[99]! - r[98]!);
  });
  it('steps: piecewise constant', () => {
    const s = [
      ...arrivalOffsets({
        kind: 'steps',
        steps: [
          { rate: 10, durationMs: 1000 },
          { rate: 20, durationMs: 500 },
        ],
      }),
    ];
    expect(s).toHaveLength(20);
    expect(s[10]).toBe(1000);
    expect(scheduleDurationMs({ kind: 'steps', steps: [{ rate: 1, durationMs: 5 }] })).toBe(5);
  });
  it('open model keeps the schedule while tasks are slow (no waiting for completions)', async () => {
    const clock = new FakeClock();
    const starts: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const s = await clock.run(
      runOpen({
        arrivals: { kind: 'constant', rate: 200 },
        total: 40,
        clock,
        task: async (_i, t) => {
          expect(clock.nowMs()).toBe(t);
          starts.push(t);
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          await clock.sleep(100); // each task takes 20 arrival gaps
          inFlight--;
        },
      }),
    );
    expect(s).toEqual({ started: 40, late: 0, dropped: 0, maxLagMs: 0 });
    expect(starts).toEqual(Array.from({ length: 40 }, (_, i) => i * 5));
    // 195 ms of schedule + 100 ms for the last task (a closed loop of one worker would take 4 s),
    // with 20 tasks in flight at once.
    expect(clock.nowMs()).toBe(295);
    expect(maxInFlight).toBe(20);
  });

  it('open model at its in-flight cap: starts queue behind the cap, count as late, keep their intended time', async () => {
    const clock = new FakeClock();
    const seen: [number, number][] = [];
    const s = await clock.run(
      runOpen({
        arrivals: { kind: 'constant', rate: 100 },
        total: 6,
        maxInFlight: 2,
        clock,
        task: async (_i, t) => {
          seen.push([t, clock.nowMs()]);
          await clock.sleep(50);
        },
      }),
    );
    // Two slots, 50 ms tasks, an arrival every 10 ms: arrivals 2… wait for a slot.
    expect(seen).toEqual([
      [0, 0],
      [10, 10],
      [20, 50],
      [30, 60],
      [40, 100],
      [50, 110],
    ]);
    expect(s).toEqual({ started: 6, late: 4, dropped: 0, maxLagMs: 60 });
  });
});

describe('retries', () => {
  it('honours Retry-After and otherwise backs off exponentially with a cap', () => {
    const p = { ...defaultRetryPolicy, baseMs: 10, capMs: 80 };
    expect(backoffMs(0, p, 1000, () => 0)).toBe(1000);
    expect(backoffMs(0, p, undefined, () => 1)).toBe(10);
    expect(backoffMs(3, p, undefined, () => 1)).toBe(80);
    expect(backoffMs(10, p, undefined, () => 1)).toBe(80);
    expect(backoffMs(2, p, undefined, () => 0)).toBe(20);
  });
  it('retries retryable outcomes up to maxRetries and reports the last outcome', async () => {
    let n = 0;
    let retried = 0;
    const r = await withRetries(
      async () => ++n,
      (v) => ({ retryable: (v ?? 0) < 3 }),
      { policy: { ...defaultRetryPolicy, baseMs: 1 }, onRetry: () => retried++ },
    );
    expect(r).toEqual({ value: 3, retries: 2 });
    expect(retried).toBe(2);
    const capped = await withRetries(
      async () => 1,
      () => ({ retryable: true }),
      { policy: { ...defaultRetryPolicy, baseMs: 1, maxRetries: 2 } },
    );
    expect(capped.retries).toBe(2);
  });
});

describe('incremental load', () => {
  const base = { objects: [{ objectTemplate: 'a: 1\n' }] };
  it('linear and exponential steps sum to jobIterations', () => {
    expect(
      incrementalSteps(
        JobOptions.parse({
          ...base,
          jobIterations: 20,
          incrementalLoad: { pattern: 'linear', startIterations: 2, step: 2 },
        }),
      ),
    ).toEqual([2, 4, 6, 8]);
    expect(
      incrementalSteps(
        JobOptions.parse({
          ...base,
          jobIterations: 30,
          incrementalLoad: { pattern: 'exponential', startIterations: 2, step: 2 },
        }),
      ),
    ).toEqual([2, 4, 8, 16]);
  });
});

describe('pacing never starts a task before its intended time', () => {
  it('open model and token bucket: every task starts at or after its intended time', async () => {
    const early: number[] = [];
    await runOpen({
      arrivals: { kind: 'constant', rate: 2000 },
      total: 200,
      task: async (_i, t) => {
        const d = performance.now() - t;
        if (d < 0) early.push(d);
      },
    });
    await runClosed({
      total: 100,
      concurrency: 4,
      limiter: new TokenBucket(1000, 1),
      task: async (_i, t) => {
        const d = performance.now() - t;
        if (d < 0) early.push(d);
      },
    });
    expect(early).toEqual([]);
  });
});
