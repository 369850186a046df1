/**
 * `kubeperf … | head`: when the reader of stdout goes away, a command ends quietly with its own exit
 * code, never with an EPIPE stack trace (real CLI processes, real pipes).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fullResults } from '../analysis/test-fixtures.js';
import { spawnCli } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeperf-pipes-'));
const pause = join(dir, 'pause.yaml');
writeFileSync(pause, 'name: p\nphases:\n  - type: pause\n    duration: 5ms\n');
const results = join(dir, 'results.json');
writeFileSync(results, JSON.stringify(fullResults()));
const other = join(dir, 'other.json');
writeFileSync(
  other,
  JSON.stringify({ ...fullResults(2), runId: 'kp-test-0002', startedAt: '2026-11-23T10:00:00.000Z' }),
);

/** Runs the CLI with a stdout reader that reads `keep` chunks (0: none) and then closes the pipe. */
function withClosedStdout(
  args: string[],
  keep: number,
): Promise<{ code: number | null; stderr: string; read: string }> {
  const child = spawnCli(args, { cwd: undefined });
  let stderr = '';
  let read = '';
  let chunks = 0;
  child.stderr!.on('data', (d) => (stderr += d));
  if (keep === 0) child.stdout!.destroy();
  else
    child.stdout!.on('data', (d) => {
      read += d;
      if (++chunks >= keep) child.stdout!.destroy();
    });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr, read })));
}

describe('a closed stdout pipe', () => {
  it.each([
    [['--help']],
    [['rgd', 'inspect', 'examples/rgd/webapp.yaml']],
    [['rgd', 'inspect', 'examples/rgd/webapp.yaml', '--json']],
    [['run', pause, '--dry-run']],
    [['run', pause, '--dry-run', '--json']],
    [['run', pause, '--out', join(dir, 'run-out')]],
    [['analyze', results]],
    [['compare', results, other]],
  ])('kubeperf %j ends quietly', async (args) => {
    const r = await withClosedStdout(args, 0);
    expect(r.stderr).not.toMatch(/EPIPE|internal error|\n\s+at /);
    expect(r.code).toBe(0);
  });

  it('`rgd generate … | head -2`: the reader takes the first chunk and leaves', async () => {
    const r = await withClosedStdout(['rgd', 'generate', '--resources', '3000'], 1);
    expect(r.read).toMatch(/^apiVersion: kro\.run\/v1alpha1/);
    expect(r.stderr).not.toMatch(/EPIPE|internal error|\n\s+at /);
    expect(r.code).toBe(0);
  });
});
