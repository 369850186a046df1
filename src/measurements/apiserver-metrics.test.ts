import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { parsePromText } from '../metrics/prom-text.js';
import { runStudyObject } from '../run/run-study.js';
import type { ApiserverMetricsData } from './apiserver-metrics.js';
import { diffApiserverScrapes } from './apiserver-metrics.js';

const out = mkdtempSync(join(tmpdir(), 'kubeperf-apiserver-metrics-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('apiserverMetrics', () => {
  it('diffs two scrapes: counts by verb/resource/code, latency from bucket diffs, storage before/after', () => {
    const before =
      parsePromText(`apiserver_request_total{code="201",group="",resource="configmaps",scope="namespace",subresource="",verb="POST",version="v1"} 10
apiserver_request_duration_seconds_bucket{group="",resource="configmaps",scope="namespace",subresource="",verb="POST",version="v1",le="0.005"} 10
apiserver_request_duration_seconds_bucket{group="",resource="configmaps",scope="namespace",subresource="",verb="POST",version="v1",le="0.025"} 10
apiserver_request_duration_seconds_bucket{group="",resource="configmaps",scope="namespace",subresource="",verb="POST",version="v1",le="+Inf"} 10
apiserver_storage_objects{resource="configmaps"} 3
apiserver_longrunning_requests{group="",resource="configmaps",scope="namespace",subresource="",verb="WATCH",version="v1"} 1
`);
    const after =
      parsePromText(`apiserver_request_total{code="201",group="",resource="configmaps",scope="namespace",subresource="",verb="POST",version="v1"} 110
apiserver_request_total{code="409",group="",resource="configmaps",scope="namespace",subresource="",verb="POST",version="v1"} 2
apiserver_request_duration_seconds_bucket{group="",resource="configmaps",scope="namespace",subresource="",verb="POST",version="v1",le="0.005"} 60
apiserver_request_duration_seconds_bucket{group="",resource="configmaps",scope="namespace",subresource="",verb="POST",version="v1",le="0.025"} 110
apiserver_request_duration_seconds_bucket{group="",resource="configmaps",scope="namespace",subresource="",verb="POST",version="v1",le="+Inf"} 112
apiserver_storage_objects{resource="configmaps"} 103
apiserver_storage_objects{resource="secrets"} 1
`);
    const d = diffApiserverScrapes(before, after);
    expect(d.requests.map((r) => [r.verb, r.resource, r.code, r.count])).toEqual([
      ['POST', 'configmaps', '201', 100],
      ['POST', 'configmaps', '409', 2],
    ]);
    const post = d.latency[0]!;
    expect(post.count).toBe(102);
    // rank 0.5·102 = 51 of 102: first bucket holds 50 → interpolated in (5ms, 25ms].
    expect(post.p50Ms).toBeCloseTo(5 + 20 * (1 / 50), 3);
    expect(post.p99BucketMs).toEqual([25, null]);
    expect(d.storageObjects).toEqual([
      { resource: 'configmaps', before: 3, after: 103 },
      { resource: 'secrets', before: null, after: 1 },
    ]);
    expect(d.watches.openBefore).toBe(1);
    expect(d.watches.openAfter).toBe(0);
  });

  it('on the embedded control plane: diffed configmap creates equal the creates sent; server p99 ≤ client p99', async () => {
    const outcome = await runStudyObject(
      {
        name: 'apiserver-metrics',
        phases: [
          { type: 'crud', name: 'crud', objects: 300, concurrency: 16, ops: ['create', 'get', 'delete'] },
        ],
      },
      { source: 'test', out, log: silentLogger },
    );
    const p = outcome.results.phases[0]!;
    expect(p.status).toBe('ok');
    const m = p.measurements!.apiserverMetrics!;
    expect(m.status).toBe('ok');
    const d = m.data as unknown as ApiserverMetricsData;
    const creates = d.requests
      .filter((r) => r.verb === 'POST' && r.resource === 'configmaps')
      .reduce((a, r) => a + r.count, 0);
    const sent = p.ops.create!.count + p.ops.create!.retries;
    expect(sent).toBe(300);
    expect(creates).toBe(sent);
    const serverPost = d.latency.find((l) => l.verb === 'POST' && l.resource === 'configmaps')!;
    expect(serverPost.count).toBe(creates);
    expect(serverPost.p99Ms).toBeGreaterThan(0);
    expect(serverPost.p99Ms).toBeLessThanOrEqual(p.ops.create!.latencyMs.p99);
    expect(d.storageObjects.find((s) => s.resource === 'configmaps')).toBeDefined();
    expect(d.cost.scrapes).toBe(2);
    expect(d.cost.bytes[0]).toBeGreaterThan(0);
  }, 60_000);
});
