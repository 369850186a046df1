import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultsSchema } from '../results/types.js';
import { runCli, spawnCli } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeperf-cli-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('kubeperf CLI', () => {
  it('--help lists every command of the contract', async () => {
    const r = await runCli(['--help']);
    expect(r.status).toBe(0);
    for (const cmd of [
      'run',
      'bench',
      'rgd',
      'report',
      'analyze',
      'visualize',
      'compare',
      'cluster',
      'cleanup',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    }
  });

  it('run --help documents every flag', async () => {
    const r = await runCli(['run', '--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--kubeconfig', '--context', '--out', '--set', '--dry-run', '--keep', '--json']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('an unknown flag is bad input: exit 2', async () => {
    const r = await runCli(['run', '--frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it('a bad study exits 2 with FILE:LINE:COL and no stack trace', async () => {
    const f = write('bad.yaml', 'phases:\n  - type: pause\n    duration: 1s\n    qps: 3\n');
    const r = await runCli(['run', f]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${f}:4:5: phases[0].qps: unknown field "qps"`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--dry-run --json prints only the plan on stdout', async () => {
    const f = write('plan.yaml', 'name: p\nphases:\n  - type: pause\n    duration: 5ms\n');
    const r = await runCli(['run', f, '--dry-run', '--json']);
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({ name: 'p', target: { kind: 'none' }, totals: { phases: 1 } });
  });

  it('a run writes schema-valid results.json with --json on stdout and the reports beside it', async () => {
    const f = write('tiny.yaml', 'name: tiny\nphases:\n  - type: pause\n    duration: 10ms\n');
    const out = join(dir, 'tiny-out');
    const r = await runCli(['run', f, '--out', out, '--json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const printed = ResultsSchema.parse(JSON.parse(r.stdout));
    const onDisk = ResultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    expect(onDisk.runId).toBe(printed.runId);
    expect(onDisk).toMatchObject({ schemaVersion: 1, name: 'tiny', interrupted: false, verdict: 'pass' });
    expect(onDisk.phases.map((p) => [p.name, p.status])).toEqual([['pause', 'ok']]);
    for (const file of ['report.html', 'report.md', 'junit.xml'])
      expect(existsSync(join(out, file))).toBe(true);
  });

  it('SIGINT stops the run, keeps a valid results.json with interrupted: true, exits 130', async () => {
    const f = write(
      'long.yaml',
      'name: long\nphases:\n  - type: pause\n    duration: 60s\n  - type: pause\n    duration: 60s\n',
    );
    const out = join(dir, 'long-out');
    const child = spawnCli(['run', f, '--out', out]);
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`phase never started: ${stderr}`)), 30_000);
      child.stderr!.on('data', (d) => {
        stderr += d;
        if (stderr.includes('phase 1/2')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    const results = ResultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    expect(results.interrupted).toBe(true);
    expect(results.endedAt).not.toBeNull();
    expect(results.phases.map((p) => p.status)).toEqual(['interrupted']);
  });

  it('SIGINT during load on the embedded control plane keeps what was measured and stops the cluster', async () => {
    const f = write('crud-long.yaml', 'name: crud-long\nphases:\n  - type: crud\n    objects: 200000\n');
    const out = join(dir, 'crud-long-out');
    const child = spawnCli(['run', f, '--out', out]);
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`load never started: ${stderr}`)), 60_000);
      child.stderr!.on('data', (d) => {
        stderr += d;
        if (/phase 1\/1/.test(stderr)) {
          clearTimeout(timer);
          setTimeout(resolve, 1500); // let some creates complete
        }
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    const results = ResultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    expect(results).toMatchObject({ interrupted: true, target: { kind: 'embedded' } });
    expect(results.phases[0]!.status).toBe('interrupted');
    const create = results.phases[0]!.ops.create!;
    expect(create.count).toBeGreaterThan(0);
    expect(create.count).toBeLessThan(200000);
    const pid = Number(/\(pid (\d+)/.exec(stderr)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow(); // the embedded control plane process is gone
  });
});
