import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultStudyPath } from '../config/study-path.js';
import { launchEmbeddedCluster } from '../cluster/launch.js';
import { loadStudyFile } from '../config/load.js';
import { silentLogger } from '../core/logger.js';
import { closedPort } from '../measurements/test-support.js';
import { rangeQuery } from '../metrics/promql-client.js';
import { builtinRegistry } from '../phases/builtin.js';
import { executeStudy } from '../run/run-study.js';
import { dashboards, panelQueries } from './dashboards.js';
import { startLocalStack } from './stack.js';
import { dashboardText } from './write-dashboards.js';

const out = mkdtempSync(join(tmpdir(), 'kubeperf-dashboards-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const shipped = fileURLToPath(new URL('../../dashboards/', import.meta.url));

type Templating = { templating: { list: { name: string; type: string; query: unknown; multi?: boolean }[] } };

describe('shipped Grafana dashboards', () => {
  it('are current (npm run dashboards) and follow the kubernetes-mixin conventions', () => {
    const uids = new Set<string>();
    for (const [file, model] of Object.entries(dashboards())) {
      expect(
        readFileSync(join(shipped, file), 'utf8'),
        `dashboards/${file} is stale: npm run dashboards`,
      ).toBe(dashboardText(model));
      expect(model.uid).toMatch(/^kubeperf-[a-z]+$/);
      uids.add(model.uid as string);
      const vars = (model as unknown as Templating).templating.list.map((v) => v.name);
      expect(vars.slice(0, 2)).toEqual(['datasource', 'cluster']);
      for (const p of model.panels as {
        type: string;
        datasource?: { uid: string };
        targets?: { datasource: { uid: string } }[];
      }[]) {
        if (p.type === 'row') continue;
        expect(p.datasource!.uid).toBe('${datasource}');
        for (const t of p.targets!) expect(t.datasource.uid).toBe('${datasource}');
      }
      for (const { panel, expr } of panelQueries(model)) {
        expect(expr, panel).toContain('cluster="$cluster"');
        for (const m of expr.matchAll(/\b(rate|increase)\([^[]*\[([^\]]+)\]/g))
          expect(m[2], panel).toBe('$__rate_interval');
      }
    }
    expect(uids.size).toBe(3);
  });

  it('every panel query returns a series from a Prometheus that scraped a run of the default study', async () => {
    const cluster = await launchEmbeddedCluster({});
    const exporterPort = await closedPort();
    const target = {
      kind: 'embedded' as const,
      server: cluster.server,
      kubeconfigPath: cluster.kubeconfigPath,
      version: cluster.version,
    };
    const stack = await startLocalStack({
      backend: 'prometheus',
      scrapeIntervalMs: 1000,
      target: { target, cadvisorPath: cluster.cadvisorPath },
      exporterUrl: `http://127.0.0.1:${exporterPort}`,
      log: silentLogger,
    });
    try {
      const startSec = Date.now() / 1000;
      const loaded = loadStudyFile(defaultStudyPath, { registry: builtinRegistry() });
      const outcome = await executeStudy(loaded, {
        source: loaded.source,
        baseDir: loaded.baseDir,
        kubeconfig: cluster.kubeconfigPath,
        out,
        log: silentLogger,
        metricsPort: exporterPort,
      });
      expect(outcome.results.phases.map((p) => p.status)).toEqual(['ok', 'ok', 'ok']);
      await new Promise((r) => setTimeout(r, 2500));
      const endSec = Date.now() / 1000;
      const ep = stack.endpoint;
      const empty: string[] = [];
      let queries = 0;
      for (const [file, model] of Object.entries(dashboards())) {
        // Variables resolve like Grafana's: label_values(metric{…}, label) → the first value (All → .+).
        const values: Record<string, string> = { __rate_interval: '4s' };
        const subst = (s: string) => s.replace(/\$(\w+)/g, (m, name: string) => values[name] ?? m);
        for (const v of (model as unknown as Templating).templating.list) {
          if (v.type !== 'query') continue;
          const q = subst((v.query as { query: string }).query);
          const [, match, label] = /^label_values\((.+), (\w+)\)$/.exec(q)!;
          const u = new URL(`${ep.url}/api/v1/label/${label}/values`);
          u.searchParams.set('match[]', match!);
          u.searchParams.set('start', String(startSec));
          const got = ((await (await fetch(u)).json()) as { data: string[] }).data;
          expect(got.length, `${file}: variable ${v.name} (${q}) has no values`).toBeGreaterThan(0);
          values[v.name] = v.multi ? '.+' : got[0]!;
        }
        for (const { panel, expr } of panelQueries(model)) {
          queries++;
          const series = await rangeQuery(ep, subst(expr), startSec, endSec, 1);
          if (!series.length) empty.push(`${file} / ${panel}: ${subst(expr)}`);
        }
      }
      expect(empty).toEqual([]);
      expect(queries).toBeGreaterThanOrEqual(30);
    } finally {
      await stack.stop();
      await cluster.stop();
    }
  }, 240_000);
});
