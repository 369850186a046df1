import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readProcStats } from '../cluster/http/cadvisor.js';
import { silentLogger } from '../core/logger.js';
import type { ContainerUsageData } from '../measurements/container-usage.js';
import type { PromQueryData } from '../measurements/prom-query.js';
import { builtinRegistry } from '../phases/builtin.js';
import type { PhaseType } from '../phases/types.js';
import { runStudyObject } from './run-study.js';

const out = mkdtempSync(join(tmpdir(), 'kubeperf-observe-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A controller-like process: burns some CPU, serves controller-runtime metrics on a free port. */
const controller = `
const { createServer } = require('node:http');
let n = 0;
setInterval(() => { const end = Date.now() + 20; while (Date.now() < end); n++; }, 50);
const s = createServer((q, r) => r.end('# TYPE controller_runtime_reconcile_total counter\\ncontroller_runtime_reconcile_total{controller="sim",result="success"} ' + n + '\\n'));
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));`;

/** A phase that starts a process of its own, as the simulated kro/project/gateway phases do. */
const spawnPhase: PhaseType = {
  type: 'spawn-controller',
  description: 'test: starts a controller process and registers it',
  options: z.strictObject({}),
  plan: () => ({ steps: ['spawn'], requests: 0, needsCluster: true }),
  async run(_o, ctx) {
    const child = spawn(process.execPath, ['-e', controller], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<string>((r) =>
        child.stdout!.once('data', (d: Buffer) => r(d.toString().trim())),
      );
      await ctx.observe!.registerProcess!({
        pid: child.pid!,
        namespace: 'sim-system',
        pod: 'sim-controller-0',
        container: 'manager',
      });
      await ctx.observe!.addScrapeTarget!({ url: `http://127.0.0.1:${port}/metrics`, job: 'sim-controller' });
      await new Promise((r) => setTimeout(r, 4000));
      return { data: { cpuSeconds: readProcStats(child.pid!)!.cpuSeconds } };
    } finally {
      child.kill('SIGKILL');
    }
  },
};

describe('ctx.observe: phases that start processes', () => {
  it('registers a process in the container metrics and a scrape target in the local stack', async () => {
    const outcome = await runStudyObject(
      {
        name: 'observe',
        metrics: { local: 'victoriametrics', scrapeInterval: '500ms' },
        phases: [{ type: 'spawn-controller', name: 'spawn' }],
        measurements: [
          {
            type: 'containerUsage',
            window: '2s',
            at: ['end'],
            targets: [{ name: 'sim', namespace: 'sim-system', pod: 'sim-controller-.*' }],
          },
          {
            type: 'promQuery',
            queries: [
              {
                name: 'reconciles',
                query: 'max_over_time(controller_runtime_reconcile_total{job="sim-controller"}[3s])',
              },
            ],
          },
        ],
      },
      { source: 'test', out, log: silentLogger, registry: builtinRegistry().register(spawnPhase) },
    );
    const ms = outcome.results.phases[0]!.measurements!;
    expect(ms.containerUsage!.status, ms.containerUsage!.message).toBe('ok');
    const cu = ms.containerUsage!.data as unknown as ContainerUsageData;
    // CPU in the 2 s window is non-zero and at most all the CPU the process used (/proc, read before it was killed).
    const cores = cu.snapshots[0]!.targets.sim!.cpuCores!.value;
    const total = (outcome.results.phases[0]!.data as { cpuSeconds: number }).cpuSeconds;
    expect(cores).toBeGreaterThan(0);
    expect(cores * 2).toBeLessThanOrEqual(total + 0.02);
    expect(ms.promQuery!.status, JSON.stringify(ms.promQuery)).toBe('ok');
    const pq = ms.promQuery!.data as unknown as PromQueryData;
    expect(pq.queries[0]!.end![0]!.value).toBeGreaterThan(10);
    expect(pq.queries[0]!.end![0]!.labels).toMatchObject({ job: 'sim-controller', cluster: 'embedded' });
  }, 90_000);
});
