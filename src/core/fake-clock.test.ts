import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';

describe('FakeClock', () => {
  it('fires timers in time order (ties in the order they were set) and never early', async () => {
    const clock = new FakeClock(100);
    const fired: string[] = [];
    const at = (name: string, t: number) =>
      void clock.sleepUntil(t).then(() => fired.push(`${name}@${clock.nowMs()}`));
    at('c', 130);
    at('a', 110);
    at('b', 130);
    at('past', 50);
    await clock.advance(20);
    expect(fired).toEqual(['past@100', 'a@110']);
    expect(clock.nowMs()).toBe(120);
    await clock.advance(10);
    expect(fired).toEqual(['past@100', 'a@110', 'c@130', 'b@130']);
    expect(clock.nowNs()).toBe(130_000_000n);
    expect(clock.wallIso()).toBe('2026-01-01T00:00:00.130Z');
  });

  it('run() jumps from timer to timer until the work is done, including timers set along the way', async () => {
    const clock = new FakeClock();
    const work = (async () => {
      for (let i = 0; i < 5; i++) await clock.sleep(250);
      return clock.nowMs();
    })();
    expect(await clock.run(work)).toBe(1250);
  });

  it('an aborted sleep rejects with the reason and leaves no timer', async () => {
    const clock = new FakeClock();
    const ac = new AbortController();
    const p = clock.sleep(10, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(clock.pending).toBe(0);
    await expect(clock.sleep(10, ac.signal)).rejects.toThrow('stop');
  });

  it('run() says so when the work waits on something that is not the clock', async () => {
    const clock = new FakeClock();
    await expect(clock.run(new Promise(() => {}))).rejects.toThrow(/stuck at 0 ms/);
  });
});
