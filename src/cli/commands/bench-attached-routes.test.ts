/**
 * `kubeperf bench attached-routes` as a user runs it (a real CLI process, embedded control plane,
 * simulated gateway controller): it ends with setup and teardown, the write counts and the thresholds
 * evaluated, exit 0; a translation delay above the setup limit fails the run with exit 3 and the JUnit
 * case naming the threshold (a short limit and a tiny route count stand in for kgateway's 30 s over
 * 1,000 routes, which bench/gateway measures); bad flags are exit 2.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Results } from '../../results/types.js';
import { runCli } from '../test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeperf-bench-ar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kubeperf bench attached-routes', () => {
  it('ends with setup and teardown times, a write count and the thresholds evaluated, exit 0', async () => {
    const out = join(dir, 'pass');
    const r = await runCli(['bench', 'attached-routes', '--routes', '20', '--out', out], {
      timeoutMs: 120_000,
    });
    expect(r.stderr).not.toMatch(/Error:/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/setup [\d.]+ m?s \(limit < 30\.00 s, kgateway's\)/);
    expect(r.stdout).toMatch(/teardown [\d.]+ m?s \(limit < 10\.00 s, kgateway's\)/);
    expect(r.stdout).toMatch(/status writes: Gateway \d+, HTTPRoute 21 \(total \d+\)/);
    expect(r.stdout).toMatch(/✓ setup\.max = .* limit < 30,000 ms: pass/);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(res.verdict).toBe('pass');
    expect(res.thresholds.map((t) => [t.expression, t.pass])).toEqual([
      ['attached-routes:setup.max < 30s', true],
      ['attached-routes:teardown.max < 10s', true],
    ]);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('name="attached-routes:setup.max &lt; 30s"');
  }, 150_000);

  it('a translation delay above the setup limit exits 3, the JUnit case naming the threshold', async () => {
    const out = join(dir, 'slow');
    const r = await runCli(
      [
        'bench',
        'attached-routes',
        '--routes',
        '5',
        '--translation-delay',
        '300ms',
        '--setup-threshold',
        '200ms',
        '--out',
        out,
      ],
      { timeoutMs: 120_000 },
    );
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/✗ setup\.max = [\d.,]+ ms .* limit < 200 ms: FAIL/);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(
      /<testcase classname="kubeperf\.thresholds" name="attached-routes:setup\.max &lt; 200ms" time="0">\s*<failure message="setup\.max = /,
    );
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(res.verdict).toBe('fail');
    expect(res.verdictReasons[0]).toContain('attached-routes:setup.max < 200ms');
  }, 150_000);

  it('bad flags are bad input (exit 2) saying what to do', async () => {
    const both = await runCli(['bench', 'attached-routes', '--routes', '10', '--preset', 'baseline']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/routes.*preset baseline sets routes \(1000\); give one or the other/);
    const dep = await runCli(['bench', 'attached-routes', '--restart-deployment', 'kgateway']);
    expect(dep.status).toBe(2);
    expect(dep.stderr).toMatch(/--restart-deployment: "kgateway" is not NAMESPACE\/NAME/);
    const delay = await runCli(['bench', 'attached-routes', '--translation-delay', 'soon']);
    expect(delay.status).toBe(2);
    expect(delay.stderr).toMatch(/--translation-delay: "soon" is not a duration/);
  }, 60_000);
});
