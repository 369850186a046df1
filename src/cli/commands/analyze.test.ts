/** `kubeperf analyze`, `kubeperf visualize` and the `benchmark` alias, through the real CLI process. */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fullResults, makeResults, sweepPhase } from '../../analysis/test-fixtures.js';
import { runCli } from '../test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeperf-analyze-'));
const resultsPath = join(dir, 'results.json');
const sweepPath = join(dir, 'sweep.json');

beforeAll(() => {
  writeFileSync(resultsPath, JSON.stringify(fullResults()));
  writeFileSync(sweepPath, JSON.stringify(makeResults([sweepPhase()])));
});

describe('kubeperf analyze', () => {
  it('prints statistics, confidence intervals, steady state, fits and recommendations, writing no report', async () => {
    const full = await runCli(['analyze', resultsPath]);
    expect(full.status).toBe(0);
    expect(full.stdout).toMatch(/^fixture-study: (PASS|FAIL|INVALID) · run kp-test-0001/);
    expect(full.stdout).toMatch(/p99 [\d.]+ (µs|ms|s) \(95% CI [\d.]+ (µs|ms|s)–/);
    expect(full.stdout).toMatch(/steady [\d.,]+ \/s \(95% CI .* over \d+ rounds\)/);
    const r = await runCli(['analyze', sweepPath]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/scaling fits:\n.*throughput over concurrency 1–32: .*knee beyond 8/);
    expect(r.stdout).toMatch(/\nrecommendations:\n {2}- /);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });

  it('--json carries the analysis, checks and verdict', async () => {
    const r = await runCli(['analyze', resultsPath, '--json']);
    expect(r.status).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a).toMatchObject({ runId: 'kp-test-0001', analysis: { version: 1 } });
    expect(a.analysis.phases.length).toBeGreaterThan(0);
    expect(Array.isArray(a.analysis.recommendations)).toBe(true);
    expect(Array.isArray(a.thresholds)).toBe(true);
  });

  it('a file that is not results.json is bad input', async () => {
    const bogus = join(dir, 'bogus.json');
    writeFileSync(bogus, '{"hello": 1}');
    expect((await runCli(['analyze', bogus])).status).toBe(2);
  });
});

describe('kubeperf visualize', () => {
  it('writes the HTML report and opens it with $BROWSER', async () => {
    const seen = join(dir, 'opened.txt');
    const browser = join(dir, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\necho "$1" > ${seen}\n`);
    chmodSync(browser, 0o755);
    const out = join(dir, 'v.html');
    const r = await runCli(['visualize', resultsPath, '--out', out, '--open'], { env: { BROWSER: browser } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`wrote ${out}`);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);
    for (let i = 0; i < 100 && !existsSync(seen); i++) await new Promise((res) => setTimeout(res, 50));
    expect(readFileSync(seen, 'utf8').trim()).toBe(out);
  });

  it('defaults to report.html beside results.json, and says so when no browser can be started', async () => {
    const r = await runCli(['visualize', resultsPath, '--open'], {
      env: { BROWSER: join(dir, 'no-such-browser') },
    });
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    expect(r.stderr).toContain(`could not open a browser`);
    expect(r.stderr).toContain(`open ${join(dir, 'report.html')} yourself`);
  });
});

describe('kubeperf benchmark', () => {
  it('is another name for bench', async () => {
    const r = await runCli([
      'benchmark',
      'graph',
      '--sizes',
      '5,10',
      '--budget-ms',
      '2',
      '--json',
      '--out',
      join(dir, 'g'),
    ]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).phases[0].type).toBe('graph');
  });
});
