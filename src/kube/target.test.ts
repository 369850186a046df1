import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InputError } from '../core/errors.js';
import { connect } from './connect.js';
import { resolveKubeconfigTarget } from './target.js';
import { startTestCluster, type TestCluster } from './testing.js';

let plain: TestCluster;
let tls: TestCluster;
const dir = mkdtempSync(join(tmpdir(), 'kubeperf-target-'));

function kubeconfig(
  file: string,
  server: string,
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = {},
  extraContexts: string[] = [],
) {
  const path = join(dir, file);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, ...cluster } }],
      users: [{ name: 'u', user }],
      contexts: [
        { name: 'main', context: { cluster: 'c', user: 'u' } },
        ...extraContexts.map((n) => ({ name: n, context: { cluster: 'c', user: 'u' } })),
      ],
      'current-context': 'main',
    }),
  );
  return path;
}

async function inputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

beforeAll(async () => {
  plain = await startTestCluster();
  tls = await startTestCluster({ tls: true });
});
afterAll(async () => {
  await plain?.stop();
  await tls?.stop();
});

describe('resolveKubeconfigTarget', () => {
  it('loads an explicit kubeconfig, fetches /version and names the context', async () => {
    const t = await resolveKubeconfigTarget({ kubeconfig: plain.target.kubeconfigPath });
    expect(t).toMatchObject({
      kind: 'kubeconfig',
      server: plain.target.server,
      context: 'kubeperf-embedded',
    });
    expect(t.version).toMatch(/^v1\.28/);
  });

  it('TLS with the CA from the kubeconfig (HTTP/2 offered by the server) works end to end', async () => {
    const t = await resolveKubeconfigTarget({ kubeconfig: tls.target.kubeconfigPath });
    expect(t.server).toMatch(/^https:/);
    const c = await connect(t);
    const m = await c.mapper.resolve('v1', 'ConfigMap');
    const r = await c.create(
      m,
      'default',
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'over-tls' } }),
    );
    expect(r?.status).toBe(201);
    await c.close();
  });

  it('exec credential plugins supply the token', async () => {
    const plugin = join(dir, 'cred.sh');
    writeFileSync(
      plugin,
      `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${plain.token}"}}'\n`,
    );
    chmodSync(plugin, 0o755);
    const path = kubeconfig('exec.yaml', plain.target.server, {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' },
    });
    const t = await resolveKubeconfigTarget({ kubeconfig: path });
    expect(t.version).toMatch(/^v1\.28/);
  });

  it('a missing file, an unknown context, a bad token or an unreachable server is an InputError with a hint', async () => {
    let e = await inputError(resolveKubeconfigTarget({ kubeconfig: join(dir, 'nope.yaml') }));
    expect(e.message).toMatch(/nope\.yaml does not exist/);
    const path = kubeconfig('ctx.yaml', plain.target.server, { token: plain.token }, {}, ['other']);
    e = await inputError(resolveKubeconfigTarget({ kubeconfig: path, context: 'kind-perf' }));
    expect(e.message).toMatch(/context "kind-perf" does not exist/);
    expect(e.hint).toMatch(/main, other/);
    e = await inputError(
      resolveKubeconfigTarget({
        kubeconfig: kubeconfig('bad.yaml', plain.target.server, { token: 'wrong' }),
      }),
    );
    expect(e.message).toMatch(/rejected our credentials: 401/);
    e = await inputError(
      resolveKubeconfigTarget({ kubeconfig: kubeconfig('down.yaml', 'http://127.0.0.1:1', { token: 'x' }) }),
    );
    expect(e.message).toMatch(/cannot reach the API server at http:\/\/127\.0\.0\.1:1.*ECONNREFUSED/);
    expect(e.hint).toBeTruthy();
  });

  it('never falls back to the default kubeconfig without an explicit path or context', async () => {
    const e = await inputError(resolveKubeconfigTarget({}));
    expect(e.message).toMatch(/no kubeconfig target/);
  });
});

it('--context alone reads KUBECONFIG (only then) and switches to that context', async () => {
  const path = kubeconfig('env.yaml', plain.target.server, { token: plain.token }, {}, ['second']);
  const old = process.env.KUBECONFIG;
  process.env.KUBECONFIG = path;
  try {
    const t = await resolveKubeconfigTarget({ context: 'second' });
    expect(t).toMatchObject({ context: 'second', kubeconfigPath: path });
  } finally {
    if (old === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = old;
  }
});
