import { describe, expect, it } from 'vitest';
import type { ProgressReporter } from '../core/progress.js';
import { Recorder } from '../metrics/recorder.js';
import { hasVaryingRate, roundSlices, roundsFor, runRounds, scheduleFit } from './model.js';
import { coalescedProgress } from './progress.js';

const steps = {
  steps: [
    { rate: 100, duration: '5s' },
    { rate: 300, duration: '5s' },
    { rate: 600, duration: '5s' },
  ],
};

describe('interleaved rounds', () => {
  it('splits tasks into contiguous rounds whose sizes differ by at most one', () => {
    expect(roundSlices(40, 10)).toEqual(Array.from({ length: 10 }, (_, r) => [r * 4, r * 4 + 4]));
    const s = roundSlices(103, 10);
    expect(s[0]![0]).toBe(0);
    expect(s[9]![1]).toBe(103);
    for (let i = 1; i < s.length; i++) expect(s[i]![0]).toBe(s[i - 1]![1]);
    expect(new Set(s.map(([a, b]) => b - a))).toEqual(new Set([10, 11]));
  });

  it('runs 10 rounds by default, never more than there are tasks, and once for ramp and steps', () => {
    expect(roundsFor({}, 500)).toBe(10);
    expect(roundsFor({ rounds: 3 }, 500)).toBe(3);
    expect(roundsFor({}, 4)).toBe(4);
    expect(roundsFor({ arrivalRate: 100 }, 500)).toBe(10);
    expect(roundsFor(steps, 5000)).toBe(1);
    expect(roundsFor({ ramp: { from: 10, to: 100, duration: '10s' } }, 500)).toBe(1);
  });

  it('records each round of a job’s tasks as its own round, in order', async () => {
    const rec = new Recorder(0);
    const seen: number[] = [];
    await runRounds(
      { concurrency: 4, rounds: 5 },
      50,
      async (i) => {
        seen.push(rec.round);
        rec.record('create', i, i + 1);
      },
      { defaultConcurrency: 4, recorder: rec },
    );
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => Math.floor(i / 10)));
    expect(rec.snapshot().create!.rounds!.map((r) => r.count)).toEqual([10, 10, 10, 10, 10]);
    expect(rec.round).toBe(-1);
  });
});

describe('a schedule that does not fit the objects', () => {
  it('says where each op runs out of objects and what would run the whole schedule', () => {
    expect(scheduleFit(steps, 3000)).toBe(
      'the schedule holds 5,000 arrivals but there are 3,000 objects: each op runs out of objects 1.7 s into step 3 of 3 (600/s for 5 s); set objects: 5000 to run the whole schedule',
    );
    expect(scheduleFit(steps, 5000)).toBeUndefined();
    expect(scheduleFit(steps, 6000)).toMatch(
      /holds 5,000 arrivals, so each op runs on 5,000 of the 6,000 objects/,
    );
    expect(scheduleFit({ arrivalRate: 100 }, 10)).toBeUndefined();
  });

  it('knows a steps schedule with different rates varies by design, a single rate does not', () => {
    expect(hasVaryingRate(steps)).toBe(true);
    expect(
      hasVaryingRate({
        steps: [
          { rate: 100, duration: '5s' },
          { rate: 100, duration: '5s' },
        ],
      }),
    ).toBe(false);
    expect(hasVaryingRate({ arrivalRate: 100 })).toBe(false);
  });
});

describe('coalesced progress', () => {
  it('passes counts on at most every interval and never loses any', () => {
    let clock = 0;
    const calls: [number, number][] = [];
    const inner: ProgressReporter = {
      start() {},
      advance: (d = 0, e = 0) => void calls.push([d, e]),
      status() {},
      finish() {},
    };
    const p = coalescedProgress(inner, 100, () => clock);
    p.start(1000);
    for (let i = 0; i < 1000; i++) {
      clock += 1; // 1 ms per request: one flush per 100 requests
      p.advance(1, i % 10 === 0 ? 1 : 0);
    }
    p.finish();
    expect(calls.length).toBeLessThanOrEqual(11);
    expect(calls.reduce((a, [d]) => a + d, 0)).toBe(1000);
    expect(calls.reduce((a, [, e]) => a + e, 0)).toBe(100);
  });
});

describe('ops under a varying rate', () => {
  it('are marked in results without creating ops that never ran', () => {
    const rec = new Recorder(0);
    for (const op of ['create', 'readiness']) rec.markVaryingRate(op);
    rec.record('create', 0, 1);
    const snap = rec.snapshot();
    expect(Object.keys(snap)).toEqual(['create']);
    expect(snap.create!.varyingRate).toBe(true);
  });
});
