/**
 * What `kubeperf run` and `kubeperf bench` tell a user, through the real CLI process: bad --set flags,
 * the dry run's target check, exit codes that match results.json, sweeps, retries, --keep, file order.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTestCluster, type TestCluster } from '../kube/testing.js';
import { ResultsSchema, type Results } from '../results/types.js';
import { runCli } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeperf-run-output-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const readResults = (out: string): Results =>
  ResultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
const kubeconfigAt = (name: string, server: string) =>
  write(
    name,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: c, cluster: {server: "${server}"}}]`,
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: x, context: {cluster: c, user: u}}, {name: nouser, context: {cluster: c, user: ghost}}]',
      'current-context: x',
    ].join('\n'),
  );
const pause = write('pause.yaml', 'name: p\nphases:\n  - type: pause\n    duration: 5ms\n');

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await launchTestCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

describe('--set', () => {
  it.each([
    ['phases.x.objects=5', '"phases" is a list: use an index (0…0), e.g. phases.0.objects'],
    ['phases.7.objects=5', '"phases" has 1 item(s) (0…0); --set changes items, it does not add them'],
    ['phases.0.duration.x=5', '"phases.0.duration" is the string "5ms", so it has no field "x"'],
    ['phases.0.objectz=5', 'phases[0].objectz: unknown field "objectz"'],
  ])('a bad --set %s names the flag and exits 2', async (set, message) => {
    const r = await runCli(['run', pause, '--dry-run', '--set', set]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`  --set ${set}: `);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/internal error|pause\.yaml:\d+:\d+/);
  });
});

describe('study errors', () => {
  it('are listed in file order', async () => {
    const f = write(
      'unsorted.yaml',
      'name: s\nbogus: 1\nphases:\n  - type: pause\n    duration: 1s\n    qps: 1\nthresholds: 3\n',
    );
    const r = await runCli(['run', f, '--dry-run']);
    expect(r.status).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith(`  ${f}:`));
    expect(lines.map((l) => Number(l.slice(f.length + 3).split(':')[0]))).toEqual([2, 6, 7]);
  });
});

describe('--dry-run checks the target without a request', () => {
  it('a kubeconfig whose server is down passes (nothing is sent) and the plan names the server', async () => {
    const kc = kubeconfigAt('down.kubeconfig', 'http://127.0.0.1:9');
    const crud = write('crud1.yaml', 'name: c\nphases:\n  - type: crud\n    objects: 1\n');
    const r = await runCli(['run', crud, '--dry-run', '--kubeconfig', kc]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('server http://127.0.0.1:9 (kubeconfig checked; no request sent)');
  });

  it('a context that does not exist, or one without its user, is bad input before anything runs', async () => {
    const kc = kubeconfigAt('ctx.kubeconfig', 'http://127.0.0.1:9');
    const crud = write('crud2.yaml', 'name: c\nphases:\n  - type: crud\n    objects: 1\n');
    let r = await runCli(['run', crud, '--dry-run', '--kubeconfig', kc, '--context', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`context "nope" does not exist`);
    expect(r.stderr).toContain('contexts in this file: x, nouser');
    r = await runCli(['run', crud, '--dry-run', '--kubeconfig', kc, '--context', 'nouser']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`context "nouser" names a user that is not in the file`);
  });
});

// The studies with injected create faults use the namespace `default`: a fault hits every create,
// the phase's own namespace too, and a phase that cannot create its namespace fails instead of measuring.
describe('exit codes agree with results.json', () => {
  it('a target that cannot be reached: exit 2, nothing measured, and no results folder left behind', async () => {
    const kc = kubeconfigAt('closed.kubeconfig', 'http://127.0.0.1:9');
    const crud = write('crud3.yaml', 'name: c\nphases:\n  - type: crud\n    objects: 1\n');
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const r = await runCli(['run', crud, '--kubeconfig', kc], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot reach the API server at http:\/\/127\.0\.0\.1:9/);
    expect(existsSync(join(cwd, 'kubeperf-results'))).toBe(false);
  });

  it('a run whose error rate is above the guard: results.json says invalid and the exit code is 4', async () => {
    const f = write(
      'faulty.yaml',
      'name: faulty\ncluster:\n  faults:\n    create: "500:1"\nphases:\n  - type: crud\n    namespace: default\n    objects: 20\n    ops: [create, delete]\n    maxRetries: 0\n',
    );
    const out = join(dir, 'faulty-out');
    const r = await runCli(['run', f, '--out', out]);
    const results = readResults(out);
    expect(results.verdict).toBe('invalid');
    expect(results.verdictReasons[0]).toMatch(/error rate 100% \(20\/20\) is above the guard's 5%/);
    expect(r.status).toBe(4);
  });
});

describe('the summary in the terminal', () => {
  it('names the report files', async () => {
    const out = join(dir, 'pause-out');
    const r = await runCli(['run', pause, '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`  results: ${out}/results.json`);
    expect(r.stdout).toContain(`  report:  ${out}/report.html`);
  });

  it('shows retries, which results.json counts but the errors column does not', async () => {
    const f = write(
      'retries.yaml',
      'name: retries\ncluster:\n  faults:\n    create: "503:0.3"\nphases:\n  - type: crud\n    namespace: default\n    objects: 100\n    ops: [create, delete]\n',
    );
    const out = join(dir, 'retries-out');
    const r = await runCli(['run', f, '--out', out]);
    const create = readResults(out).phases[0]!.ops.create!;
    expect(create.retries).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/op\s+count\s+errors\s+retries/);
    expect(r.stdout).toMatch(new RegExp(`\\n\\s+create\\s+100\\s+${create.errors}\\s+${create.retries}\\s`));
    expect(r.stdout).toContain(`retries: crud create ${create.retries}`);
  });

  it('a concurrency sweep says which point its op table shows, tables every point with the knee, and counts every request', async () => {
    const out = join(dir, 'sweep-out');
    const r = await runCli([
      'bench',
      'crud',
      '--concurrency-sweep',
      '1,2,4',
      '--objects',
      '60',
      '--ops',
      'create,get,delete',
      '--out',
      out,
    ]);
    expect(r.status).toBe(0);
    const results = readResults(out);
    const sweep = results.phases[0]!.sweeps![0]!;
    const requests = sweep.points.reduce(
      (a, pt) => a + Object.values(pt.ops!).reduce((b, s) => b + s.count, 0),
      0,
    );
    expect(requests).toBe(3 * 3 * 60);
    expect(r.stdout).toContain(
      `The op table shows the sweep point concurrency = 4 workers (1 of 3); over all points the phase made ${requests.toLocaleString('en-US')} requests`,
    );
    expect(r.stdout).toMatch(
      /sweep over concurrency \(workers\):\n\s+workers\s+create\/s\s+create p99\s+get\/s/,
    );
    for (const x of [1, 2, 4])
      expect(r.stdout).toMatch(new RegExp(`\\n\\s+${x}\\s+\\d+\\s+[\\d.]+(µs|ms|s)\\s`));
    expect(r.stdout).toMatch(/knee: /);
    // The reports count every point's requests too.
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      `${requests.toLocaleString('en-US')} API requests recorded`,
    );
  });
});

describe('a swept phase', () => {
  it('errors.rate and the invalid-run guard count the requests of every point, not only the one in the op table', async () => {
    const f = write(
      'sweep-threshold.yaml',
      'name: st\ncluster:\n  faults:\n    create: "500:0.5"\nphases:\n  - type: crud\n    namespace: default\n    objects: 40\n    concurrency: 2\n    concurrencySweep: [1, 2]\n    ops: [create, delete]\n    maxRetries: 0\nthresholds:\n  - errors.rate < 100%\n',
    );
    const out = join(dir, 'sweep-threshold-out');
    const r = await runCli(['run', f, '--out', out]);
    const results = readResults(out);
    const all = results.phases[0]!.sweeps![0]!.points.flatMap((pt) => Object.values(pt.ops!));
    const count = all.reduce((a, s) => a + s.count, 0);
    const errors = all.reduce((a, s) => a + s.errors, 0);
    const shown = Object.values(results.phases[0]!.ops).reduce((a, s) => a + s.count, 0);
    expect(count).toBeGreaterThan(shown);
    expect(results.thresholds[0]!.message).toContain(`(${errors}/${count} requests, all phases)`);
    expect(results.verdictReasons.join('\n')).toContain(`(${errors}/${count})`);
    expect(r.status).toBe(4);
  });
});

describe('--keep', () => {
  it('says precisely what it keeps: a crud phase deletes its own objects as part of its cycle', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      'a crud phase still deletes its own objects, as its measured delete step',
    );
    const f = write('keep.yaml', 'name: keep\nphases:\n  - type: crud\n    objects: 5\n');
    const out = join(dir, 'keep-out');
    const r = await runCli([
      'run',
      f,
      '--keep',
      '--out',
      out,
      '--kubeconfig',
      cluster.target.kubeconfigPath!,
    ]);
    expect(r.status).toBe(0);
    expect(readResults(out).warnings).toContain(
      '--keep: phase crud (crud) deletes its objects itself in every cycle (the delete step is part of what it measures), so none of them are kept',
    );
  });
});

describe('examples/crd-established.yaml', () => {
  it('runs without a listener-leak warning or "waiting for 0 objects"', async () => {
    const out = join(dir, 'crd-out');
    const r = await runCli(['run', 'examples/crd-established.yaml', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/MaxListenersExceededWarning/);
    expect(r.stderr).not.toMatch(/waiting for 0 |waiting for 1 objects/);
    expect(readdirSync(out)).toContain('results.json');
  });
});
