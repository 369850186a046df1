/** scripts/bench.mjs (`npm run bench`): a missed target is a non-zero exit, saying which. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the repository, so the benches resolve tsx like the real ones do.
const dir = mkdtempSync(join(root, 'node_modules', '.kubeperf-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bench = (name: string, results: unknown[], exitCode = 0) => {
  mkdirSync(join(dir, 'area'), { recursive: true });
  writeFileSync(
    join(dir, 'area', `${name}.bench.ts`),
    `process.stdout.write(JSON.stringify({ bench: 'area/${name}', results: ${JSON.stringify(results)} }));\nprocess.exitCode = ${exitCode};\n`,
  );
};

function runBench(filter: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'scripts', 'bench.mjs'), filter], {
    cwd: root,
    env: { ...process.env, KUBEPERF_BENCH_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run bench', () => {
  it('exits 1 when a bench misses a target, even if the bench itself exited 0, and names it', async () => {
    bench('misses', [
      { name: 'create/s', value: 7000, unit: '/s', target: '>= 10000', pass: false },
      { name: 'p99', value: 4, unit: 'ms', target: '<= 20', pass: true },
    ]);
    const r = await runBench('area/misses');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bench FAILED: ');
    expect(r.stderr).toContain('create/s = 7000 /s misses its target >= 10000');
    const out = JSON.parse(r.stdout);
    expect(out.benches[0].results).toHaveLength(2); // the numbers are kept
    expect(out.failures).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, '.bench', 'latest.json'), 'utf8')).failures).toHaveLength(1);
  });

  it('exits 0 when every target is met', async () => {
    bench('meets', [{ name: 'p99', value: 4, unit: 'ms', target: '<= 20', pass: true }]);
    const r = await runBench('area/meets');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('every target met');
  });

  it('a bench that exits non-zero fails, keeping the numbers it printed', async () => {
    bench('crashes', [{ name: 'x', value: 1, unit: '' }], 3);
    const r = await runBench('area/crashes');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/crashes\.bench\.ts: exit 3/);
    expect(JSON.parse(r.stdout).benches[0].results).toHaveLength(1);
  });
});
