/**
 * Starts the embedded control plane in a separate Node process (never on the caller's event loop,
 * which is the load generator's), writes its kubeconfig and waits for /readyz.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeperfError } from '../core/errors.js';
import { writeKubeconfig } from './kubeconfig.js';
import type { ClusterOptionsInput } from './options.js';
import { serverVersion } from './version.js';
import { ApiserverContainerSchema, cadvisorProxyPath, type ContainerProcess } from './http/cadvisor.js';
import { processClient } from './process-registry.js';

export interface EmbeddedCluster {
  server: string;
  kubeconfigPath: string;
  token: string;
  /** CA of the server's certificate (TLS only). */
  caPem?: string;
  version: string;
  pid: number;
  /** Path of the cAdvisor-style container metrics through the API server (docs/metrics.md). */
  cadvisorPath: string;
  /**
   * Adds a process of this machine (a simulated controller a study started) to the container metrics
   * as namespace/pod/container, so container_cpu_usage_seconds_total etc. cover it. Its series end
   * when the process exits.
   */
  registerProcess(p: ContainerProcess): Promise<void>;
  unregisterProcess(pid: number): Promise<void>;
  stop(): Promise<void>;
}

export type LaunchOptions = ClusterOptionsInput & {
  host?: string;
  port?: number;
  tls?: boolean;
  kubeconfigOut?: string;
};

type ChildMessage =
  | { type: 'hello' }
  | { type: 'ready'; url: string; token: string; caPem?: string }
  | { type: 'error'; message: string };

function childEntry(): { script: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { script: fileURLToPath(new URL('./child.ts', here)), execArgv: ['--import', 'tsx'] };
  }
  return { script: fileURLToPath(new URL('./child.js', here)), execArgv: [] };
}

async function waitReady(
  url: string,
  token: string,
  caPem: string | undefined,
  deadline: number,
): Promise<void> {
  // With TLS the child's own CA is not trusted by fetch; the IPC 'ready' message already proves
  // the listener is up, so only plain HTTP is polled here.
  if (caPem) return;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${url}/readyz`, { headers: { authorization: `Bearer ${token}` } });
      if (r.status === 200) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new KubeperfError(`embedded control plane did not become ready at ${url}/readyz: ${last}`);
}

export async function launchEmbeddedCluster(opts: LaunchOptions = {}): Promise<EmbeddedCluster> {
  const { kubeconfigOut, ...serverOpts } = opts;
  const { script, execArgv } = childEntry();
  // Its own process group (detached): a terminal's Ctrl-C goes to the foreground group, and must reach
  // only the run, which stops load, cleans up through this server and then stops it. The child still
  // ends with the parent: it exits when the IPC channel closes (child.ts).
  const child: ChildProcess = fork(script, [], {
    execArgv,
    stdio: ['ignore', 2, 2, 'ipc'],
    env: { ...process.env, NODE_OPTIONS: '' },
    serialization: 'json',
    detached: true,
  });
  const startTimeoutMs = 30_000;
  const ready = await new Promise<{ url: string; token: string; caPem?: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new KubeperfError('embedded control plane did not start within 30 s'));
    }, startTimeoutMs);
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(
        new KubeperfError(`embedded control plane exited during start (code ${code}, signal ${signal})`),
      );
    };
    child.once('exit', onExit);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new KubeperfError(`could not start the embedded control plane: ${e.message}`, { cause: e }));
    });
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'hello') child.send({ type: 'start', options: serverOpts });
      else if (m.type === 'ready') {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(m);
      } else if (m.type === 'error') {
        clearTimeout(timer);
        child.off('exit', onExit);
        reject(new KubeperfError(`embedded control plane failed to start: ${m.message}`));
      }
    });
  });
  await waitReady(ready.url, ready.token, ready.caPem, Date.now() + startTimeoutMs);
  let tmpDir: string | undefined;
  let kubeconfigPath = kubeconfigOut;
  if (!kubeconfigPath) {
    tmpDir = await mkdtemp(join(tmpdir(), 'kubeperf-cluster-'));
    kubeconfigPath = join(tmpDir, 'kubeconfig');
  }
  await writeKubeconfig(kubeconfigPath, { server: ready.url, token: ready.token, caPem: ready.caPem });
  // Do not keep the caller alive just because the server runs; stop() is the normal end.
  child.unref();
  child.channel?.unref();
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let stopping: Promise<void> | undefined;
  const node = ApiserverContainerSchema.parse(serverOpts.apiserverContainer ?? {}).node;
  return {
    server: ready.url,
    kubeconfigPath,
    token: ready.token,
    caPem: ready.caPem,
    version: serverVersion.gitVersion,
    pid: child.pid!,
    cadvisorPath: cadvisorProxyPath(node),
    ...processClient(child),
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          // Unref'd above: while we wait for its exit it must keep this process alive.
          child.ref();
          if (child.connected) child.send({ type: 'stop' });
          else child.kill('SIGTERM');
          const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(killTimer);
        }
        if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
      })()),
  };
}
