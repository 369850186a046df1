/**
 * The `kro` phase end to end: `kubeperf run examples/kro/webapp-200.yaml` (scaled down) on the
 * embedded control plane writes the kro ops and data into results.json and a report whose kro charts
 * render in Chromium without console errors; bad input ends with a clear message and exit code, never
 * a hang (invalid RGD, unknown kind, no kro on the target, no controller acting on the instances).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/test-support.js';
import { launchController } from '../../controllers/runtime/launch.js';
import { connect } from '../../kube/connect.js';
import { launchTestCluster, testPhaseContext } from '../../kube/testing.js';
import { Recorder } from '../../metrics/recorder.js';
import { renderReport } from '../../report/test-browser.js';
import type { Results } from '../../results/types.js';
import { KroOptions } from './options.js';
import { generatedRgd } from './rgd-source.js';
import { applyRgd, runRound } from './round.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeperf-kro-phase-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readResults = (out: string) => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;

describe('kro phase', () => {
  it('kubeperf run examples/kro/webapp-200.yaml writes kro ops and data; the report renders the kro charts in Chromium', async () => {
    const out = join(dir, 'webapp');
    const r = await runCli(
      ['run', 'examples/kro/webapp-200.yaml', '--set', 'phases.0.instances=24', '--out', out],
      { timeoutMs: 240_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const res = readResults(out);
    const p = res.phases[0]!;
    expect(p.status).toBe('ok');
    expect(p.ops['instance-create']!.count).toBe(24);
    expect(p.ops['instance-ready']).toMatchObject({ count: 24, errors: 0 });
    expect(p.ops['instance-update-ready']).toMatchObject({ count: 6, errors: 0 });
    expect(p.ops['instance-deleted']).toMatchObject({ count: 24, errors: 0 });
    const round = (p.data as { kro: { rounds: Record<string, any>[] } }).kro.rounds[0]!;
    expect(round).toMatchObject({ instances: 24, active: 24, childrenPerInstance: 3, neverReconciled: 0 });
    expect(round.apiServer.perInstance).toBeGreaterThan(5);
    expect(round.apiServer.byVerbPerInstance.APPLY).toBeGreaterThan(3);
    expect(round.controller.reconcilesPerInstance).toBeGreaterThanOrEqual(2);
    expect(round.controller.reconcileSeconds.p99).toBeGreaterThan(0);
    expect(round.curve.at(-1)).toMatchObject({ created: 24, active: 24 });
    expect(round.queue.length).toBeGreaterThan(0);
    expect(round.shaper.text).toMatch(/instances\/s/);
    expect(res.analysis?.recommendations).toEqual(
      expect.arrayContaining([expect.objectContaining({ text: expect.stringContaining(round.shaper.text) })]),
    );

    const page = await renderReport(join(out, 'report.html'));
    for (const id of ['kro-hist-0', 'kro-cdf-0', 'kro-curve-0', 'kro-api-0', 'kro-rec-0', 'kro-queue-0'])
      expect(page.charts).toContain(id);
    expect(page.rendered).toBe(page.charts.length);
    expect(page.headings).toContain('kro instances');
    expect(page.errors).toEqual([]);
  }, 300_000);

  it('kubeperf bench kro --instances-sweep: sweep points, fits and the fitted charts render', async () => {
    const out = join(dir, 'sweep');
    const r = await runCli(
      ['bench', 'kro', '--instances-sweep', '4,12', '--resources', '2', '--workers', '2', '--out', out],
      {
        timeoutMs: 240_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const res = readResults(out);
    const sweep = res.phases[0]!.sweeps!.find((s) => s.parameter === 'instances')!;
    expect(sweep.points.map((p) => [p.x, p.metrics.activeInstances])).toEqual([
      [4, 4],
      [12, 12],
    ]);
    expect(sweep.points[1]!.ops!['instance-ready']!.count).toBe(12);
    const fits = (res.analysis as { scaling: { parameter: string; metric: string }[] }).scaling;
    expect(fits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ parameter: 'instances', metric: 'instance-ready.p99' }),
      ]),
    );
    const page = await renderReport(join(out, 'report.html'));
    expect(page.charts.filter((id) => id.startsWith('kro-fit-0-')).length).toBeGreaterThanOrEqual(2);
    expect(page.rendered).toBe(page.charts.length);
    expect(page.errors).toEqual([]);
  }, 300_000);

  it("bad input: an invalid RGD file is exit 2 with kro's message and position, before anything runs", async () => {
    writeFileSync(
      join(dir, 'cyclic.yaml'),
      `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata: { name: cyclic }
spec:
  schema: { apiVersion: v1alpha1, kind: Cyclic, spec: {} }
  resources:
    - id: a
      template: { apiVersion: v1, kind: ConfigMap, metadata: { name: "\${b.metadata.name}" } }
    - id: b
      template: { apiVersion: v1, kind: ConfigMap, metadata: { name: "\${a.metadata.name}" } }
`,
    );
    writeFileSync(
      join(dir, 'study.yaml'),
      'name: bad\nphases:\n  - type: kro\n    rgd: cyclic.yaml\n    instances: 3\n',
    );
    const r = await runCli(['run', join(dir, 'study.yaml'), '--out', join(dir, 'bad')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /cyclic\.yaml:\d+:\d+: failed to build dependency graph: graph contains a cycle/,
    );
    const typo = await runCli(['run', join(dir, 'study.yaml'), '--dry-run', '--set', 'phases.0.instancez=3']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/instancez/);
  });

  it("bad input: an RGD naming a kind the server lacks ends the phase invalid with kro's schema error (exit 4)", async () => {
    writeFileSync(
      join(dir, 'widget.yaml'),
      `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata: { name: widgets }
spec:
  schema: { apiVersion: v1alpha1, kind: UsesWidget, spec: {} }
  resources:
    - id: w
      template: { apiVersion: example.com/v1, kind: Widget, metadata: { name: "\${schema.metadata.name}" } }
`,
    );
    writeFileSync(
      join(dir, 'widget-study.yaml'),
      'name: widget\nphases:\n  - type: kro\n    rgd: widget.yaml\n    instances: 3\n',
    );
    const out = join(dir, 'widget');
    const r = await runCli(['run', join(dir, 'widget-study.yaml'), '--out', out], { timeoutMs: 120_000 });
    expect(r.status).toBe(4);
    const res = readResults(out);
    expect(res.verdict).toBe('invalid');
    expect(res.phases[0]!.error).toMatch(
      /kro rejected ResourceGraphDefinition widgets .*failed to get schema for resource w: cannot resolve group version kind "example.com\/v1, Kind=Widget": schema not found/,
    );
  }, 150_000);

  it('a kubeconfig target without kro, or where no kro controller acts, ends the phase invalid with the reason, never a hang', async () => {
    const cluster = await launchTestCluster();
    try {
      const study = (name: string, extra = '') =>
        `name: ${name}\nphases:\n  - type: kro\n    generate: { resources: 2 }\n    instances: 5\n    noProgressTimeout: 3s\n    timeout: 20s\n${extra}`;
      writeFileSync(join(dir, 'nokro.yaml'), study('nokro'));
      let r = await runCli(
        [
          'run',
          join(dir, 'nokro.yaml'),
          '--kubeconfig',
          cluster.target.kubeconfigPath!,
          '--out',
          join(dir, 'nokro'),
        ],
        {
          timeoutMs: 120_000,
        },
      );
      expect(r.status).toBe(4);
      expect(readResults(join(dir, 'nokro')).phases[0]!.error).toMatch(
        /does not serve kro.run\/v1alpha1 ResourceGraphDefinition: kro is not installed/,
      );

      // kro's CRD installed (by a controller that then stops): RGDs are accepted by the API but nobody acts.
      const ctl = await launchController('kro', { kubeconfig: cluster.target.kubeconfigPath! });
      await ctl.stop();
      r = await runCli(
        [
          'run',
          join(dir, 'nokro.yaml'),
          '--kubeconfig',
          cluster.target.kubeconfigPath!,
          '--out',
          join(dir, 'idle'),
        ],
        {
          timeoutMs: 120_000,
        },
      );
      expect(r.status).toBe(4);
      expect(readResults(join(dir, 'idle')).phases[0]!.error).toMatch(
        /no kro controller acted on ResourceGraphDefinition .* within 3 s \(it has no status\)/,
      );

      // The RGD accepted, then the controller gone: instances are never reconciled.
      const client = await connect(cluster.target);
      const controller = await launchController('kro', { kubeconfig: cluster.target.kubeconfigPath! });
      const o = KroOptions.parse({
        instances: 5,
        noProgressTimeout: '2s',
        timeout: '20s',
        generate: { resources: 2 },
      });
      const ctx = testPhaseContext(cluster.target, { phaseName: 'orphan' });
      const env = { ctx, client, o, recorder: new Recorder(performance.now()), jobName: 'orphan' };
      const source = generatedRgd(o.generate!, 'orphan-rgd', 'Orphan');
      const m = await applyRgd(env, source, 30_000);
      await controller.stop();
      const res = await runRound(env, { index: 0, source, instances: 5 }, m);
      expect(res.invalidReasons).toEqual([
        expect.stringMatching(/^no controller reconciled 0\/5 instances in \d+ s \(none got a status\)$/),
      ]);
      expect(env.recorder.snapshot()['instance-ready']).toMatchObject({
        count: 5,
        errors: 5,
        errorsByReason: { Timeout: 5 },
      });
      await client.close();
    } finally {
      await cluster.stop();
    }
  }, 300_000);
});
