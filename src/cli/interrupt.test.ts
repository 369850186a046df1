/**
 * Ctrl-C as a terminal sends it (to the whole foreground process group), twice in a row, and the
 * parent dying outright: through the real CLI process.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../kube/connect.js';
import { launchTestCluster, type TestCluster } from '../kube/testing.js';
import { ResultsSchema } from '../results/types.js';
import { runCli, spawnCli } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeperf-interrupt-'));
const study = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const longCrud = study('crud-long.yaml', 'name: crud-long\nphases:\n  - type: crud\n    objects: 200000\n');

/** Resolves with the stderr seen so far once it matches, and keeps collecting. */
function waitForStderr(child: ChildProcess, re: RegExp, what: string): Promise<string> {
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} never happened: ${stderr}`)), 120_000);
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (re.test(stderr)) {
        clearTimeout(timer);
        resolve(stderr);
      }
    });
  });
}

/** Lets the phase record some requests before the interrupt (any number above zero will do). */
const untilSomeCreates = () => new Promise((r) => setTimeout(r, 1500));

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function untilGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 600 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await launchTestCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

describe('interrupting a run', () => {
  it('a Ctrl-C to the whole process group reaches only the run: the embedded control plane serves its cleanup, then stops', async () => {
    const out = join(dir, 'group-out');
    // detached: the CLI leads its own process group, as a shell job in a terminal does.
    const child = spawnCli(['run', longCrud, '--out', out], { detached: true });
    const done = exited(child);
    const stderr = await waitForStderr(child, /phase 1\/1/, 'load');
    await untilSomeCreates();
    process.kill(-child.pid!, 'SIGINT'); // what the terminal does on Ctrl-C
    expect(await done).toBe(130);
    const results = ResultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    const create = results.phases[0]!.ops.create!;
    expect(create.count).toBeGreaterThan(0);
    // The server was still there for the requests in flight and for cleanup.
    expect(create.errorsByReason).not.toHaveProperty('ECONNREFUSED');
    expect(results.warnings.filter((w) => w.startsWith('cleanup:'))).toEqual([]);
    const pid = Number(/\(pid (\d+)/.exec(stderr)?.[1]);
    expect(await untilGone(pid)).toBe(true);
  });

  it('an interrupted run is not a PASS: verdict invalid, saying what did not finish', async () => {
    const out = join(dir, 'verdict-out');
    const child = spawnCli(['run', longCrud, '--out', out]);
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    const done = exited(child);
    await waitForStderr(child, /phase 1\/1/, 'load');
    await untilSomeCreates();
    child.kill('SIGINT');
    expect(await done).toBe(130);
    const results = ResultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    expect(results.verdict).toBe('invalid');
    expect(results.verdictReasons.join('\n')).toMatch(/run was interrupted: phase crud did not finish/);
    expect(stdout).toMatch(/✗ crud-long: INVALID \(interrupted\)/);
    expect(stdout).not.toMatch(/PASS/);
  });

  it('a second Ctrl-C keeps the phase in progress, marks the run invalid and prints the cleanup command', async () => {
    const out = join(dir, 'double-out');
    const kubeconfig = cluster.target.kubeconfigPath!;
    const child = spawnCli(['run', longCrud, '--out', out, '--kubeconfig', kubeconfig]);
    const done = exited(child);
    const stderr = waitForStderr(child, /interrupted again/, 'the second interrupt');
    await waitForStderr(child, /phase 1\/1/, 'load');
    await untilSomeCreates();
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await done).toBe(130);
    const results = ResultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    expect(results.interrupted).toBe(true);
    expect(results.phases).toHaveLength(1);
    expect(results.phases[0]!.status).toBe('interrupted');
    const created = results.phases[0]!.ops.create!.count;
    expect(created).toBeGreaterThan(0);
    expect(results.verdict).toBe('invalid');
    expect(results.verdictReasons[0]).toMatch(/interrupted twice/);
    const cleanup = `kubeperf cleanup --run-id ${results.runId} --kubeconfig ${kubeconfig}`;
    expect(await stderr).toContain(cleanup);
    // The hint is true: the run's objects are still there, and the printed command removes them.
    const c = await connect(cluster.target);
    const m = await c.mapper.resolve('v1', 'ConfigMap');
    const list = async () =>
      (await c.listAll(m, 'kubeperf-crud', { labelSelector: `kubeperf.io/run-id=${results.runId}` })).items
        .length;
    expect(await list()).toBeGreaterThan(0);
    const r = await runCli(cleanup.split(' ').slice(1));
    expect(r.status).toBe(0);
    expect(await list()).toBe(0);
    await c.close();
  });

  it('the embedded control plane still ends when the run is killed outright', async () => {
    const out = join(dir, 'kill-out');
    const child = spawnCli(['run', longCrud, '--out', out]);
    const done = exited(child);
    const stderr = await waitForStderr(child, /phase 1\/1/, 'load');
    const pid = Number(/\(pid (\d+)/.exec(stderr)?.[1]);
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    await done;
    expect(await untilGone(pid)).toBe(true);
  });
});
