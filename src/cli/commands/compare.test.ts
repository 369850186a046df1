import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { crudPhase, makeResults } from '../../analysis/test-fixtures.js';
import { ExitCode, KubeperfError } from '../../core/errors.js';
import { compareCommand } from './compare.js';

let dir: string;

async function run(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  try {
    await compareCommand().exitOverride().parseAsync(args, { from: 'user' });
    return { code: 0, stdout };
  } catch (e) {
    return { code: e instanceof KubeperfError ? e.exitCode : -1, stdout };
  } finally {
    out.mockRestore();
  }
}

const results = (seed: number, scale: number, hour: number) =>
  makeResults([crudPhase({ seed, scale, ops: ['create', 'get'], seconds: 8, rate: 80 })], {
    runId: `run-${seed}`,
    startedAt: `2026-11-22T${String(hour).padStart(2, '0')}:00:00.000Z`,
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubeperf-compare-cmd-'));
  await writeFile(join(dir, 'base.json'), JSON.stringify(results(1, 1, 10)));
  await writeFile(join(dir, 'same.json'), JSON.stringify(results(2, 1, 11)));
  await writeFile(join(dir, 'slow.json'), JSON.stringify(results(3, 1.2, 12)));
  for (const [i, r] of [results(1, 1, 10), results(2, 1, 11), results(3, 1.2, 12)].entries()) {
    await mkdir(join(dir, 'runs', `r${i}`), { recursive: true });
    await writeFile(join(dir, 'runs', `r${i}`, 'results.json'), JSON.stringify(r));
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('kubeperf compare', () => {
  it('exits 0 for an unchanged candidate and prints JSON with --json', async () => {
    const { code, stdout } = await run([join(dir, 'base.json'), join(dir, 'same.json'), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).verdict).toBe('unchanged');
  });

  it('exits 3 on a 20% regression and writes Markdown and HTML', async () => {
    const md = join(dir, 'cmp.md');
    const html = join(dir, 'cmp.html');
    const { code } = await run([join(dir, 'base.json'), join(dir, 'slow.json'), '--md', md, '--html', html]);
    expect(code).toBe(ExitCode.thresholdFailed);
    expect(await readFile(md, 'utf8')).toMatch(
      /\*\*Verdict: REGRESSED\*\*[\s\S]*crud\/create\.p50 \| [\d.]+ ms \| [\d.]+ ms \| \+\d/,
    );
    expect(await readFile(html, 'utf8')).toContain('data-chart="cmp-p99-0"');
  });

  it('shows the trend of a folder of runs, oldest as baseline', async () => {
    const md = join(dir, 'trend.md');
    const { code, stdout } = await run([join(dir, 'runs'), join(dir, 'same.json'), '--json', '--md', md]);
    const c = JSON.parse(stdout);
    expect(c.base.runId).toBe('run-1');
    expect(c.candidate.runId).toBe('run-3');
    expect(code).toBe(ExitCode.thresholdFailed);
    expect(c.trend.runs).toHaveLength(4);
    expect(await readFile(md, 'utf8')).toContain('## Trend');
  });

  it('--sets compares sets of repeated runs, whole runs as the units of noise', async () => {
    const base = join(dir, 'set-base');
    const cand = join(dir, 'set-cand');
    for (const [d, scale, seeds] of [
      [base, 1, [11, 12, 13]],
      [cand, 1.3, [21, 22, 23]],
    ] as const)
      for (const seed of seeds) {
        await mkdir(join(d, `r${seed}`), { recursive: true });
        await writeFile(join(d, `r${seed}`, 'results.json'), JSON.stringify(results(seed, scale, 10)));
      }
    const { code, stdout } = await run([base, cand, '--sets', '--json']);
    const c = JSON.parse(stdout);
    expect(c.runs).toEqual({ base: 3, candidate: 3 });
    expect(c.metrics.find((m: { key: string }) => m.key === 'crud/create.p50').method).toBe('runs');
    expect(c.verdict).toBe('regressed');
    expect(code).toBe(ExitCode.thresholdFailed);
  });

  it('rejects a bad tolerance as bad input', async () => {
    expect((await run([join(dir, 'base.json'), join(dir, 'same.json'), '--threshold', 'ten'])).code).toBe(
      ExitCode.badInput,
    );
  });
});
