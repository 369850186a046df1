/**
 * `kubeperf controller kro` standalone against an API server: serves /metrics with the options given
 * as flags, stops on SIGINT; a misspelt option is bad input with a suggestion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTestCluster, type TestCluster } from '../../kube/testing.js';
import { parsePromText, sumOf } from '../../metrics/prom-text.js';
import { runCli, spawnCli } from '../test-support.js';
import { controllerOptionsFromArgs } from './controller.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await launchTestCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

describe('kubeperf controller', () => {
  it('parses controller options as --name value pairs', () => {
    expect(
      controllerOptionsFromArgs([
        '--workers',
        '8',
        '--client-qps=0',
        '--install-crd',
        'false',
        '--allow-crd-deletion',
      ]),
    ).toEqual({
      workers: 8,
      clientQps: 0,
      installCrd: false,
      allowCrdDeletion: true,
    });
  });

  it('runs kro standalone with its options, serves /metrics, stops on SIGINT', async () => {
    const child = spawnCli([
      'controller',
      'kro',
      '--kubeconfig',
      cluster.target.kubeconfigPath!,
      '--metrics-addr',
      '127.0.0.1:0',
      '--workers',
      '3',
    ]);
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /metrics: (http\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const s = parsePromText(await (await fetch(url)).text());
    expect(
      sumOf(s, 'controller_runtime_max_concurrent_reconciles', { controller: 'dynamic-controller' }),
    ).toBe(3);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);

  it('a misspelt option is bad input naming the right one', async () => {
    const r = await runCli([
      'controller',
      'kro',
      '--kubeconfig',
      cluster.target.kubeconfigPath!,
      '--wrokers',
      '2',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/wrokers.*did you mean workers/);
  });
});
