import { describe, expect, it, vi } from 'vitest';
import { parseClusterOptions } from '../options.js';
import { cm, testCluster } from '../test-support.js';
import { Knobs } from './knobs.js';

const base = '/api/v1/namespaces/default/configmaps';

describe('behaviour knobs', () => {
  it('adds per-verb latency from the model', async () => {
    const c = await testCluster({ latency: { create: 'fixed:80ms' } });
    try {
      // A lower bound only: a busy machine can add to it, never take from it.
      const t = performance.now();
      await c.req('POST', base, cm('slow'));
      expect(performance.now() - t).toBeGreaterThanOrEqual(75);
    } finally {
      await c.close();
    }
  });

  it('delays only the verbs its model names (fake timers: exact, and no wall-clock bound)', () => {
    vi.useFakeTimers();
    try {
      const knobs = new Knobs(parseClusterOptions({ latency: { create: 'fixed:80ms' } }));
      const admitted: string[] = [];
      knobs.before('get', false, false, () => admitted.push('get'));
      knobs.before('create', true, false, () => admitted.push('create'));
      expect(admitted).toEqual(['get']); // get: at once
      vi.advanceTimersByTime(79);
      expect(admitted).toEqual(['get']);
      vi.advanceTimersByTime(1);
      expect(admitted).toEqual(['get', 'create']); // create: after exactly 80 ms
    } finally {
      vi.useRealTimers();
    }
  });

  it('injects faults per verb and code with a Status body', async () => {
    const c = await testCluster({ faults: { get: '503:1' } });
    try {
      const r = await c.req('GET', `${base}/x`);
      expect(r.status).toBe(503);
      expect(r.json).toMatchObject({ kind: 'Status', code: 503, reason: 'ServiceUnavailable' });
      expect(r.headers.get('retry-after')).toBe('1');
      expect((await c.req('POST', base, cm('fine'))).status).toBe(201);
    } finally {
      await c.close();
    }
  });

  it('resets connections at the configured rate', async () => {
    const c = await testCluster({ resetRate: 1 });
    try {
      await expect(c.req('GET', `${base}/x`)).rejects.toThrow();
    } finally {
      await c.close();
    }
  });

  it('drops every watch at the interval', async () => {
    const c = await testCluster({ dropWatchesEvery: '150ms' });
    try {
      const t = performance.now();
      const r = await fetch(`${c.url}${base}?watch=true`, {
        headers: { authorization: `Bearer ${c.token}` },
      });
      await r.text();
      const elapsed = performance.now() - t;
      expect(elapsed).toBeGreaterThan(50);
      expect(elapsed).toBeLessThan(1000);
    } finally {
      await c.close();
    }
  });
});

describe('/metrics', () => {
  it('exposes kube-apiserver families with their labels and buckets, and process metrics', async () => {
    const c = await testCluster();
    try {
      await c.req('POST', base, cm('m1'));
      await c.req('GET', `${base}/m1`);
      await c.req('GET', base);
      await c.req('GET', `${base}/nope`);
      const text = (await c.req('GET', '/metrics')).text;
      expect(text).toContain(
        'apiserver_request_total{code="201",component="apiserver",dry_run="",group="",resource="configmaps",scope="namespace",subresource="",verb="POST",version="v1"} 1',
      );
      expect(text).toContain(
        'apiserver_request_total{code="404",component="apiserver",dry_run="",group="",resource="configmaps",scope="resource",subresource="",verb="GET",version="v1"} 1',
      );
      expect(text).toMatch(
        /apiserver_request_total\{code="200",component="apiserver",dry_run="",group="",resource="configmaps",scope="namespace",subresource="",verb="LIST",version="v1"\} 1/,
      );
      const buckets = [
        ...text.matchAll(/apiserver_request_duration_seconds_bucket\{[^}]*verb="POST"[^}]*le="([^"]+)"\}/g),
      ].map((m) => m[1]);
      expect(buckets).toEqual([
        '0.005',
        '0.025',
        '0.05',
        '0.1',
        '0.2',
        '0.4',
        '0.6',
        '0.8',
        '1',
        '1.25',
        '1.5',
        '2',
        '3',
        '4',
        '5',
        '6',
        '8',
        '10',
        '15',
        '20',
        '30',
        '45',
        '60',
        '+Inf',
      ]);
      expect(text).toMatch(/^apiserver_storage_objects\{resource="configmaps"\} 1$/m);
      expect(text).toMatch(/^apiserver_current_inflight_requests\{request_kind="readOnly"\} \d+$/m);
      expect(text).toMatch(/^process_cpu_seconds_total [\d.]+$/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
      expect(text).toContain('# TYPE apiserver_longrunning_requests gauge');
      expect(text).toContain('# TYPE apiserver_watch_events_total counter');
    } finally {
      await c.close();
    }
  });
});
