import { describe, expect, it } from 'vitest';
import { parsePromText, sumOf } from '../../metrics/prom-text.js';
import { ControllerLoop } from './controller.js';
import { ControllerMetrics } from './metrics.js';
import {
  BucketRateLimiter,
  controllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
} from './rate-limiter.js';
import { ManualTimers } from './timers.js';
import { WorkQueue } from './workqueue.js';

const settle = () => new Promise<void>((r) => setImmediate(r));

describe('rate limiters (client-go default_rate_limiters.go)', () => {
  it('per-item exponential backoff doubles from the base, caps at the max, and forget resets it', () => {
    const l = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    expect([l.when('a'), l.when('a'), l.when('a'), l.when('b')]).toEqual([5, 10, 20, 5]);
    expect(l.numRequeues('a')).toBe(3);
    for (let i = 0; i < 40; i++) l.when('a');
    expect(l.when('a')).toBe(1_000_000);
    l.forget('a');
    expect(l.when('a')).toBe(5);
  });

  it('the bucket lets a burst through, then spaces items at 1/qps', () => {
    const t = new ManualTimers();
    const l = new BucketRateLimiter(10, 3, t);
    expect([l.when(), l.when(), l.when()]).toEqual([0, 0, 0]);
    expect(l.when()).toBeCloseTo(100);
    expect(l.when()).toBeCloseTo(200);
    t.advance(1000);
    expect(l.when()).toBe(0);
  });

  it('the default controller limiter is the max of both; either part can be off', () => {
    const t = new ManualTimers();
    const both = controllerRateLimiter(
      { backoffBaseMs: 5, backoffMaxMs: 1_000_000, bucketQps: 10, bucketBurst: 1 },
      t,
    ) as MaxOfRateLimiter;
    expect(both.limiters).toHaveLength(2);
    expect(both.when('x')).toBe(5); // bucket has its burst token: backoff wins
    expect(both.when('y')).toBeCloseTo(100); // bucket empty: 100 ms beats y's 5 ms backoff
    const noBucket = controllerRateLimiter(
      { backoffBaseMs: 5, backoffMaxMs: 1000, bucketQps: 0, bucketBurst: 1 },
      t,
    );
    for (let i = 0; i < 500; i++) noBucket.when(`k${i}`);
    expect(noBucket.when('fresh')).toBe(5);
    const nothing = controllerRateLimiter(
      { backoffBaseMs: 0, backoffMaxMs: 0, bucketQps: 0, bucketBurst: 1 },
      t,
    );
    expect(nothing.when('z')).toBe(0);
  });
});

describe('work queue (client-go semantics)', () => {
  it('dedups adds, keeps FIFO order, and re-queues an item added while it was processed', async () => {
    const q = new WorkQueue('q', controllerRateLimiter(), undefined, new ManualTimers());
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    q.add('a'); // processing: marked dirty, not queued twice
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('b');
    q.done('b');
    expect(q.length).toBe(0);
    q.done('a');
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });

  it('get waits for an add; shutDown releases waiting getters with undefined', async () => {
    const q = new WorkQueue('q', controllerRateLimiter(), undefined, new ManualTimers());
    const got = q.get();
    q.add('x');
    expect(await got).toBe('x');
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toBeUndefined();
    // Unlike client-go, nothing queued is handed out after shutDown: a controller stops at once.
    const r = new WorkQueue('r', controllerRateLimiter(), undefined, new ManualTimers());
    r.add('a');
    r.shutDown();
    expect(await r.get()).toBeUndefined();
  });

  it('addAfter keeps the earliest time per item; addRateLimited waits the limiter delay', async () => {
    const t = new ManualTimers();
    const q = new WorkQueue('q', new ItemExponentialFailureRateLimiter(100, 10_000), undefined, t);
    q.addAfter('a', 500);
    q.addAfter('a', 200);
    q.addAfter('a', 900);
    t.advance(199);
    expect(q.length).toBe(0);
    t.advance(1);
    expect(q.length).toBe(1);
    expect(t.timers).toBe(0);
    await q.get();
    q.done('a');
    q.addRateLimited('b'); // 100 ms
    q.addRateLimited('b'); // earlier timer (100) kept over 200
    t.advance(100);
    expect(q.length).toBe(1);
    expect(q.numRequeues('b')).toBe(2);
    q.forget('b');
    expect(q.numRequeues('b')).toBe(0);
  });

  it('exports client-go workqueue metrics under the queue name', async () => {
    const m = new ControllerMetrics({ processMetrics: false });
    const t = new ManualTimers();
    const q = new WorkQueue(
      'dynamic-controller-queue',
      controllerRateLimiter(),
      m.workqueue('dynamic-controller-queue'),
      t,
    );
    q.add('a');
    q.add('b');
    t.advance(2000);
    await q.get(); // waited 2 s
    t.advance(500);
    q.addRateLimited('c');
    const s = parsePromText(await m.text());
    const l = { name: 'dynamic-controller-queue' };
    expect(sumOf(s, 'workqueue_adds_total', l)).toBe(2);
    expect(sumOf(s, 'workqueue_depth', l)).toBe(1);
    expect(sumOf(s, 'workqueue_retries_total', l)).toBe(1);
    expect(sumOf(s, 'workqueue_queue_duration_seconds_sum', l)).toBeCloseTo(2);
    expect(sumOf(s, 'workqueue_unfinished_work_seconds', l)).toBeCloseTo(0.5);
    expect(sumOf(s, 'workqueue_longest_running_processor_seconds', l)).toBeCloseTo(0.5);
  });
});

describe('controller loop (controller-runtime reconcileHandler)', () => {
  it('retries errors with backoff, drops after maxRetries, honours requeueAfter, counts results', async () => {
    const t = new ManualTimers();
    const m = new ControllerMetrics({ processMetrics: false });
    const q = new WorkQueue('c', new ItemExponentialFailureRateLimiter(10, 1000), m.workqueue('c'), t);
    const calls: string[] = [];
    const loop = new ControllerLoop({
      name: 'c',
      queue: q,
      workers: 2,
      maxRetries: 2,
      metrics: m.reconciler('c', 2),
      reconcile: async (key) => {
        calls.push(key);
        if (key === 'bad') throw new Error('boom');
        if (key === 'later' && calls.filter((c) => c === 'later').length === 1)
          return { requeueAfterMs: 3000 };
      },
    });
    loop.start();
    q.add('bad');
    q.add('later');
    q.add('ok');
    await settle();
    expect(calls.sort()).toEqual(['bad', 'later', 'ok']);
    t.advance(10); // first retry of bad after 10 ms
    await settle();
    t.advance(20); // second retry after 20 ms
    await settle();
    t.advance(1000); // no third retry: dropped after 2
    await settle();
    expect(calls.filter((c) => c === 'bad')).toHaveLength(3);
    t.advance(3000);
    await settle();
    expect(calls.filter((c) => c === 'later')).toHaveLength(2);
    await loop.stop();
    const s = parsePromText(await m.text());
    expect(sumOf(s, 'controller_runtime_reconcile_total', { controller: 'c', result: 'error' })).toBe(3);
    expect(sumOf(s, 'controller_runtime_reconcile_total', { controller: 'c', result: 'requeue_after' })).toBe(
      1,
    );
    expect(sumOf(s, 'controller_runtime_reconcile_total', { controller: 'c', result: 'success' })).toBe(2);
    expect(sumOf(s, 'controller_runtime_reconcile_time_seconds_count', { controller: 'c' })).toBe(6);
    expect(sumOf(s, 'controller_runtime_max_concurrent_reconciles', { controller: 'c' })).toBe(2);
  });
});
