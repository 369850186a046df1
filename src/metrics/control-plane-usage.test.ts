import { describe, expect, it } from 'vitest';
import { launchEmbeddedCluster } from '../cluster/launch.js';
import { parseProcessMetrics, UsageSampler } from './control-plane-usage.js';

describe('control-plane usage from /metrics', () => {
  it('parses the two process series kube-apiserver exposes', () => {
    const text =
      '# HELP x\nprocess_cpu_seconds_total 12.5\nprocess_resident_memory_bytes 1.048576e+08\nother 1\n';
    expect(parseProcessMetrics(text)).toEqual({ cpuSeconds: 12.5, rssBytes: 104857600 });
  });

  it('samples the embedded control plane, even over a phase shorter than one interval', async () => {
    const cluster = await launchEmbeddedCluster({});
    try {
      const headers = { authorization: `Bearer ${cluster.token}` };
      const sampler = new UsageSampler(
        async () => (await fetch(`${cluster.server}/metrics`, { headers })).text(),
        'test',
      );
      sampler.start();
      // Make the server work a little so CPU moves.
      await Promise.all(
        Array.from({ length: 200 }, () => fetch(`${cluster.server}/api/v1/namespaces`, { headers })),
      );
      const usage = await sampler.stop();
      expect(usage).toBeDefined();
      expect(usage!.samples.length).toBeGreaterThanOrEqual(1);
      expect(usage!.rssBytes.max).toBeGreaterThan(10 * 2 ** 20);
      expect(usage!.cpuCores.max).toBeGreaterThanOrEqual(0);
    } finally {
      await cluster.stop();
    }
  });
});
