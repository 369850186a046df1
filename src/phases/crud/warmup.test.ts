import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { ResultsSchema } from '../../results/types.js';
import { runStudyObject } from '../../run/run-study.js';
import { warmupSettings, WarmupSchema } from './warmup.js';

describe('warm-up step', () => {
  it('runs before the first cluster phase, is reported apart and counted in no phase', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kubeperf-warmup-'));
    const outcome = await runStudyObject(
      {
        name: 'warm',
        warmup: { objects: 40, concurrency: 4 },
        phases: [{ type: 'crud', objects: 30, concurrency: 4, ops: ['create', 'get', 'delete'] }],
        thresholds: ['create.count == 30'],
      },
      { source: 'test', out, log: silentLogger },
    );
    const results = ResultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    expect(results.warmup).toBeDefined();
    expect(results.warmup!.ops.create!.count).toBe(40);
    expect(results.warmup!.requests).toBeGreaterThanOrEqual(40 * 5);
    // The phase has its own 30 objects per op and nothing of the warm-up's 40.
    const ops = results.phases[0]!.ops;
    expect(ops.create!.count).toBe(30);
    expect(ops.get!.count).toBe(30);
    expect(ops.update).toBeUndefined();
    expect(outcome.results.thresholds[0]).toMatchObject({ pass: true, actual: 30 });
  }, 120_000);

  it('is on by default, off with warmup: false, and sized with {objects, concurrency}', () => {
    expect(warmupSettings(WarmupSchema.parse(undefined))).toEqual({ objects: 300, concurrency: 16 });
    expect(warmupSettings(WarmupSchema.parse(false))).toBeUndefined();
    expect(warmupSettings(WarmupSchema.parse({ objects: 50 }))).toEqual({ objects: 50, concurrency: 16 });
    expect(WarmupSchema.safeParse({ object: 5 }).success).toBe(false);
  });
});
