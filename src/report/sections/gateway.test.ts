/**
 * The Gateway API section of the report, from a real run of examples/gateway/embedded.yaml (scaled
 * down): the setup/teardown table with thresholds and poll equivalents, status writes per step, and
 * the attachedRoutes, writes-per-step and time-to-Accepted charts rendering in Chromium without errors.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/test-support.js';
import type { Results } from '../../results/types.js';
import { renderReport } from '../test-browser.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeperf-gateway-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('attached-routes report section', () => {
  it('kubeperf run examples/gateway/embedded.yaml: tables in Markdown, charts in Chromium', async () => {
    const out = join(dir, 'run');
    const r = await runCli(
      [
        'run',
        'examples/gateway/embedded.yaml',
        '--set',
        'phases.0.routes=40',
        '--set',
        'phases.1.routes=30',
        '--out',
        out,
      ],
      { timeoutMs: 240_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(res.phases.map((p) => [p.name, p.status])).toEqual([
      ['incremental', 'ok'],
      ['bulk', 'ok'],
    ]);
    expect(res.thresholds.map((t) => t.expression)).toEqual([
      'incremental:setup.max < 30s',
      'incremental:teardown.max < 10s',
      'bulk:add-all.max < 30s',
      'bulk:remove-all.max < 30s',
    ]);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Gateway API attached routes (incremental, incremental)');
    expect(md).toMatch(
      /\| setup \(one more route → attachedRoutes N\+1\) \| [\d.]+ m?s \| [\d.]+ s \(1 s poll\) \| < 30\.00 s \(kgateway's\) \| pass \|/,
    );
    expect(md).toMatch(/\| baseline \| [\d.]+ m?s \| \d+ \| 40 \|/);
    expect(md).toContain('## Gateway API attached routes (bulk, bulk)');
    expect(md).toMatch(
      /\| add-all \(last create → attachedRoutes 30\) \| [\d.]+ m?s \| – \| < 30\.00 s \| pass \|/,
    );

    const page = await renderReport(join(out, 'report.html'));
    for (const id of [
      'gateway-curve-0',
      'gateway-writes-0',
      'gateway-accepted-0',
      'gateway-curve-1',
      'gateway-writes-1',
    ])
      expect(page.charts).toContain(id);
    expect(page.rendered).toBe(page.charts.length);
    expect(page.headings.filter((h) => h === 'Gateway API attached routes')).toHaveLength(2);
    expect(page.errors).toEqual([]);
  }, 300_000);
});
