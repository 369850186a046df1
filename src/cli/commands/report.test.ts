import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fullResults } from '../../analysis/test-fixtures.js';
import { ExitCode, KubeperfError } from '../../core/errors.js';
import { runCli } from '../test-support.js';
import { reportCommand } from './report.js';

let dir: string;

async function run(args: string[]): Promise<number> {
  // Like a stream, the stand-in calls the write callback: commands wait for their output to be flushed.
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((_s, ...rest: unknown[]) => {
    rest.find((x): x is () => void => typeof x === 'function')?.();
    return true;
  });
  try {
    await reportCommand().exitOverride().parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    return e instanceof KubeperfError ? e.exitCode : -1;
  } finally {
    out.mockRestore();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubeperf-report-cmd-'));
  await writeFile(join(dir, 'results.json'), JSON.stringify(fullResults()));
  await writeFile(join(dir, 'bad.json'), JSON.stringify({ schemaVersion: 1, runId: 3 }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('kubeperf report', () => {
  it('writes report.html, report.md and junit.xml beside results.json by default', async () => {
    expect(await run([join(dir, 'results.json')])).toBe(0);
    for (const f of ['report.html', 'report.md', 'junit.xml'])
      expect((await stat(join(dir, f))).size).toBeGreaterThan(500);
  });

  it('writes only the files asked for', async () => {
    const md = join(dir, 'only.md');
    expect(await run([join(dir, 'results.json'), '--md', md])).toBe(0);
    expect(await readFile(md, 'utf8')).toContain('# Performance report: fixture-study');
  });

  it('rejects a missing or malformed results file as bad input (exit 2)', async () => {
    expect(await run([join(dir, 'nope.json')])).toBe(ExitCode.badInput);
    let problems: string[] = [];
    try {
      await reportCommand()
        .exitOverride()
        .parseAsync([join(dir, 'bad.json')], { from: 'user' });
    } catch (e) {
      problems = (e as { problems: string[] }).problems;
    }
    expect(problems.join('\n')).toMatch(/bad\.json: runId: /);
  });
});

describe('kubeperf report (real CLI process)', () => {
  it("a JSON file that is not results.json says so plainly, without the schema library's wording", async () => {
    const bogus = join(dir, 'bogus.json');
    await writeFile(bogus, JSON.stringify({ hello: 'world' }));
    let r = await runCli(['report', bogus]);
    expect(r.status).toBe(ExitCode.badInput);
    expect(r.stderr).toContain(
      `kubeperf: ${bogus} is not a kubeperf results.json: it has no runId or schemaVersion`,
    );
    expect(r.stderr).not.toMatch(/Invalid input|nonoptional|received undefined/);
    const partial = join(dir, 'partial.json');
    await writeFile(partial, JSON.stringify({ ...fullResults(), config: undefined, runId: 7 }));
    r = await runCli(['report', partial]);
    expect(r.status).toBe(ExitCode.badInput);
    expect(r.stderr).toContain(`${partial}: runId: expected a string, got a number (7)`);
    expect(r.stderr).toContain(`${partial}: config: missing`);
    expect(r.stderr).not.toMatch(/Invalid input|nonoptional|received undefined/);
  });
});
