import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { crudPhase, makeResults } from '../../analysis/test-fixtures.js';
import { ExitCode, KubeperfError } from '../../core/errors.js';
import { runCli } from '../test-support.js';
import { compareCommand } from './compare.js';

let dir: string;

async function run(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  // Like a stream, the stand-in calls the write callback: commands wait for their output to be flushed.
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s, ...rest: unknown[]) => {
    stdout += String(s);
    rest.find((x): x is () => void => typeof x === 'function')?.();
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
  // The same runs, plus one of another study dropped into the folder.
  await mkdir(join(dir, 'mixed', 'other'), { recursive: true });
  for (const i of [0, 1, 2]) {
    await mkdir(join(dir, 'mixed', `r${i}`), { recursive: true });
    await writeFile(
      join(dir, 'mixed', `r${i}`, 'results.json'),
      await readFile(join(dir, 'runs', `r${i}`, 'results.json'), 'utf8'),
    );
  }
  await writeFile(
    join(dir, 'mixed', 'other', 'results.json'),
    JSON.stringify({ ...results(9, 3, 13), runId: 'run-other', name: 'another-study' }),
  );
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
    const page = await readFile(html, 'utf8');
    expect(page).toContain('data-chart="cmp-p99-0"');
    // The within-run warning names a setting in backticks: code in HTML, not literal backticks.
    expect(page).toContain('<code>repeat: N</code>');
    const warnings = [...page.matchAll(/<li class="warn">(.*?)<\/li>/g)].map((m) => m[1]);
    expect(warnings.join('\n')).not.toContain('`');
  });

  it('shows the trend of a folder of runs, oldest as baseline', async () => {
    const md = join(dir, 'trend.md');
    const { code, stdout } = await run([join(dir, 'runs'), join(dir, 'same.json'), '--json', '--md', md]);
    const c = JSON.parse(stdout);
    expect(c.base.runId).toBe('run-1');
    expect(c.candidate.runId).toBe('run-3');
    expect(code).toBe(ExitCode.thresholdFailed);
    // same.json is run-2, already in the folder: counted once.
    expect(c.trend.runs).toHaveLength(3);
    expect(await readFile(md, 'utf8')).toContain('## Trend');
  });

  it('rejects a bad tolerance as bad input', async () => {
    expect((await run([join(dir, 'base.json'), join(dir, 'same.json'), '--threshold', 'ten'])).code).toBe(
      ExitCode.badInput,
    );
  });
});

describe('kubeperf compare (real CLI process)', () => {
  it('a folder alone is enough: its oldest run is the baseline, its newest the candidate, all the trend', async () => {
    const html = join(dir, 'trend.html');
    const r = await runCli(['compare', join(dir, 'runs'), '--html', html]);
    expect(r.stderr).not.toMatch(/missing required argument/);
    expect(r.stdout).toMatch(/baseline run-1, candidate run-3/);
    expect(r.stdout).toMatch(/trend over 3 runs/);
    expect(r.status).toBe(ExitCode.thresholdFailed);
    expect(await readFile(html, 'utf8')).toContain('Trend across 3 runs');
  });

  it('BASE plus the folder that holds BASE counts the baseline once', async () => {
    const r = await runCli(['compare', join(dir, 'runs', 'r0', 'results.json'), join(dir, 'runs'), '--json']);
    const c = JSON.parse(r.stdout);
    expect(c.trend.runs.map((x: { runId: string }) => x.runId)).toEqual(['run-1', 'run-2', 'run-3']);
    expect(c.base.runId).toBe('run-1');
  });

  it('a run of another study in the folder is left out of the trend, with a warning', async () => {
    const r = await runCli(['compare', join(dir, 'mixed'), '--json']);
    const c = JSON.parse(r.stdout);
    expect(c.trend.runs.map((x: { runId: string }) => x.runId)).toEqual(['run-1', 'run-2', 'run-3']);
    expect(c.candidate.runId).toBe('run-3');
    expect(c.warnings[0]).toMatch(
      /other\/results\.json is a run of study "another-study", not "fixture-study".*left out/,
    );
  });

  it('one results file alone is bad input, saying what to pass', async () => {
    const r = await runCli(['compare', join(dir, 'base.json')]);
    expect(r.status).toBe(ExitCode.badInput);
    expect(r.stderr).toMatch(/nothing to compare/);
  });
});
