import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parsePromText, select } from '../metrics/prom-text.js';
import { readProcStats } from './http/cadvisor.js';
import { launchEmbeddedCluster } from './launch.js';

describe('container metrics of the embedded control plane (cAdvisor-style)', () => {
  it('serves the API server process and registered processes at both cAdvisor paths, values from /proc', async () => {
    const c = await launchEmbeddedCluster({
      apiserverContainer: {
        node: 'milo-cp',
        namespace: 'milo-system',
        pod: 'milo-apiserver-0',
        container: 'apiserver',
      },
    });
    const busy = spawn(process.execPath, [
      '-e',
      'const end = Date.now() + 300; while (Date.now() < end); process.stdout.write("done"); setInterval(() => {}, 1000)',
    ]);
    try {
      const get = async (path: string) => {
        const r = await fetch(c.server + path, { headers: { authorization: `Bearer ${c.token}` } });
        expect(r.status, path).toBe(200);
        return parsePromText(await r.text());
      };
      expect(c.cadvisorPath).toBe('/api/v1/nodes/milo-cp/proxy/metrics/cadvisor');
      const direct = await get('/metrics/cadvisor');
      const proxied = await get(c.cadvisorPath);
      for (const s of [direct, proxied]) {
        const cpu = select(s, 'container_cpu_usage_seconds_total');
        expect(cpu.map((x) => x.labels)).toEqual([
          { container: 'apiserver', id: `/proc/${c.pid}`, namespace: 'milo-system', pod: 'milo-apiserver-0' },
        ]);
        const ref = readProcStats(c.pid)!;
        // Read a moment apart from the same /proc counters.
        expect(cpu[0]!.value).toBeGreaterThan(0);
        expect(cpu[0]!.value).toBeLessThanOrEqual(ref.cpuSeconds);
        expect(cpu[0]!.value).toBeGreaterThan(ref.cpuSeconds - 1);
        const mem = select(s, 'container_memory_working_set_bytes')[0]!.value;
        expect(mem).toBeGreaterThan(10 * 1024 * 1024);
        expect(Math.abs(mem - ref.rssBytes) / ref.rssBytes).toBeLessThan(0.2);
      }
      // The Milo runner's selector matches the API server's series.
      expect(
        select(direct, 'container_cpu_usage_seconds_total').filter(
          (x) =>
            x.labels.namespace === 'milo-system' &&
            /^milo-apiserver.*$/.test(x.labels.pod!) &&
            x.labels.container !== 'POD',
        ),
      ).toHaveLength(1);

      await c.registerProcess({ pid: busy.pid!, namespace: 'kro-system', pod: 'kro-0', container: 'kro' });
      await new Promise((r) => busy.stdout!.once('data', r));
      const withKro = select(await get('/metrics/cadvisor'), 'container_cpu_usage_seconds_total');
      const kro = withKro.find((x) => x.labels.pod === 'kro-0')!;
      expect(kro.labels).toEqual({
        container: 'kro',
        id: `/proc/${busy.pid}`,
        namespace: 'kro-system',
        pod: 'kro-0',
      });
      // Its busy loop has ended: the counter is what /proc says now (10 ms ticks).
      const kroRef = readProcStats(busy.pid!)!.cpuSeconds;
      expect(kro.value).toBeGreaterThan(0);
      expect(Math.abs(kro.value - kroRef)).toBeLessThanOrEqual(0.02);

      await expect(c.registerProcess({ pid: 0, namespace: 'x', pod: 'y', container: 'z' })).rejects.toThrow(
        /bad pid 0/,
      );

      busy.kill('SIGKILL');
      await once(busy, 'exit');
      const after = select(await get('/metrics/cadvisor'), 'container_cpu_usage_seconds_total');
      expect(after.map((x) => x.labels.pod)).toEqual(['milo-apiserver-0']);
    } finally {
      busy.kill('SIGKILL');
      await c.stop();
    }
  }, 60_000);
});
