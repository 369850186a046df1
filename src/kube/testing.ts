/**
 * Test helpers (used by *.test.ts only): a real embedded control plane on loopback with a kubeconfig
 * on disk, and a PhaseContext for running phases against it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { nullProgress } from '../core/progress.js';
import { Recorder } from '../metrics/recorder.js';
import type { PhaseContext, Target } from '../phases/types.js';
import type { ClusterServerOptions } from '../cluster/server.js';
import type { LaunchOptions } from '../cluster/launch.js';

export interface TestCluster {
  target: Target;
  token: string;
  dir: string;
  /** Server process id (child-process clusters only). */
  pid?: number;
  stop(): Promise<void>;
}

/** In-process server (fast to start; shares our event loop, so not for timing-sensitive tests). */
export async function startTestCluster(opts: ClusterServerOptions = {}): Promise<TestCluster> {
  const { startClusterServer } = await import('../cluster/server.js');
  const { writeKubeconfig } = await import('../cluster/kubeconfig.js');
  const srv = await startClusterServer(opts);
  const dir = mkdtempSync(join(tmpdir(), 'kubeperf-kube-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfigPath, { server: srv.url, token: srv.token, caPem: srv.caPem });
  return {
    target: { kind: 'embedded', server: srv.url, kubeconfigPath, version: 'v1.28.7-kubeperf' },
    token: srv.token,
    dir,
    stop: async () => {
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Child-process server: its event loop is not ours, for latency assertions. */
export async function launchTestCluster(opts: LaunchOptions = {}): Promise<TestCluster> {
  const { launchEmbeddedCluster } = await import('../cluster/launch.js');
  const c = await launchEmbeddedCluster(opts);
  return {
    target: { kind: 'embedded', server: c.server, kubeconfigPath: c.kubeconfigPath, version: c.version },
    token: c.token,
    dir: '',
    pid: c.pid,
    stop: () => c.stop(),
  };
}

export function testPhaseContext(
  target: Target,
  over: Partial<PhaseContext> = {},
): PhaseContext & { cleanups: (() => Promise<void>)[] } {
  const cleanups: (() => Promise<void>)[] = [];
  return {
    baseDir: process.cwd(),
    runId: over.runId ?? `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`,
    phaseName: 'test',
    phaseIndex: 0,
    tags: [],
    target,
    clock: systemClock,
    recorder: new Recorder(performance.now()),
    signal: new AbortController().signal,
    progress: nullProgress,
    log: silentLogger,
    outDir: tmpdir(),
    onCleanup: (fn) => cleanups.push(fn),
    cleanups,
    ...over,
  };
}
