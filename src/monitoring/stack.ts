/**
 * The local metrics stack: Debian's /usr/bin/prometheus or /usr/bin/victoria-metrics started on
 * loopback with a generated scrape config (see scrape-config.ts), in a temporary data directory,
 * stopped (and its data removed) after. Used by `metrics: {local: …}` in a study and by
 * `kubeperf metrics up`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeperfError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PromEndpoint } from '../metrics/promql-client.js';
import type { Target } from '../phases/types.js';
import { fileSd, scrapeConfig, staticJobs, type ExtraTarget, type ScrapeAuth } from './scrape-config.js';
import { instantQuery } from '../metrics/promql-client.js';

export type Backend = 'prometheus' | 'victoriametrics';

export const BACKENDS: Record<Backend, { binary: string; debianPackage: string }> = {
  prometheus: { binary: '/usr/bin/prometheus', debianPackage: 'prometheus' },
  victoriametrics: { binary: '/usr/bin/victoria-metrics', debianPackage: 'victoria-metrics' },
};

export interface LocalStack {
  backend: Backend;
  endpoint: PromEndpoint;
  pid: number;
  /** Adds a scrape target (a simulated controller's /metrics); picked up within about a second. */
  addTarget(t: ExtraTarget): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  backend: Backend;
  port?: number;
  scrapeIntervalMs: number;
  /** What to scrape: the run's target (API server, container metrics) when it has one. */
  target?: { target: Target; cadvisorPath?: string };
  exporterUrl?: string;
  extraTargets?: ExtraTarget[];
  log: Logger;
  /** Override of the binary (tests of the missing-binary message). */
  binary?: string;
}

/**
 * The cAdvisor path when the API server itself serves one (the embedded control plane, also when it
 * is reached by kubeconfig after `kubeperf cluster start`); undefined for a real cluster, whose
 * kubelets are discovered as nodes instead.
 */
export async function probeCadvisorPath(
  apiGet:
    ((path: string, o?: { timeoutMs?: number }) => Promise<{ status: number; body: string }>) | undefined,
): Promise<string | undefined> {
  if (!apiGet) return undefined;
  const r = await apiGet('/metrics/cadvisor', { timeoutMs: 5000 }).catch(() => undefined);
  return r?.status === 200 && r.body.includes('container_cpu_usage_seconds_total')
    ? '/metrics/cadvisor'
    : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Scrape credentials of a target from its kubeconfig, written as files the scrape config points at. */
async function writeAuth(dir: string, target: Target): Promise<ScrapeAuth | undefined> {
  if (!target.kubeconfigPath) return undefined;
  const { loadKubeConfig } = await import('../kube/kubeconfig.js');
  const { credentialsFromKubeConfig } = await import('../kube/credentials.js');
  const creds = await credentialsFromKubeConfig(
    loadKubeConfig({ kubeconfig: target.kubeconfigPath, context: target.context }).kc,
  );
  const auth: ScrapeAuth = {};
  const header = creds.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    auth.tokenFile = join(dir, 'token');
    await writeFile(auth.tokenFile, header.slice(7), { mode: 0o600 });
  } else if (header?.startsWith('Basic ')) {
    const [username, ...rest] = Buffer.from(header.slice(6), 'base64').toString().split(':');
    auth.basic = { username: username ?? '', password: rest.join(':') };
  }
  const file = async (name: string, v: Buffer | string | undefined) => {
    if (v === undefined) return undefined;
    const p = join(dir, name);
    await writeFile(p, v, { mode: 0o600 });
    return p;
  };
  auth.caFile = await file('ca.pem', creds.tls.ca);
  auth.certFile = await file('client.pem', creds.tls.cert);
  auth.keyFile = await file('client-key.pem', creds.tls.key);
  if (creds.tls.rejectUnauthorized === false) auth.insecureSkipVerify = true;
  return auth;
}

function args(
  backend: Backend,
  o: { port: number; dataDir: string; config: string; intervalMs: number },
): string[] {
  if (backend === 'prometheus') {
    return [
      `--config.file=${o.config}`,
      `--storage.tsdb.path=${o.dataDir}`,
      `--web.listen-address=127.0.0.1:${o.port}`,
      '--storage.tsdb.retention.time=2d',
      '--log.level=warn',
    ];
  }
  return [
    `-promscrape.config=${o.config}`,
    `-storageDataPath=${o.dataDir}`,
    `-httpListenAddr=127.0.0.1:${o.port}`,
    '-retentionPeriod=2d',
    // Data must be queryable right after a phase ends: no 30 s visibility delay, no response cache.
    '-search.latencyOffset=0s',
    '-search.disableCache',
    `-promscrape.fileSDCheckInterval=${Math.max(1, Math.round(o.intervalMs / 1000))}s`,
    '-loggerLevel=WARN',
  ];
}

export async function startLocalStack(o: StackOptions): Promise<LocalStack> {
  const spec = BACKENDS[o.backend];
  const binary = o.binary ?? spec.binary;
  if (!existsSync(binary)) {
    throw new KubeperfError(`metrics.local: ${o.backend} needs ${binary}, which is not installed`, {
      hint: `install the Debian package: apt-get install ${spec.debianPackage}`,
    });
  }
  const dir = await mkdtemp(join(tmpdir(), `kubeperf-${o.backend}-`));
  const target = o.target?.target;
  const cluster = !target
    ? 'local'
    : target.kind === 'embedded'
      ? 'embedded'
      : (target.context ?? 'kubeconfig');
  const fileSdPath = join(dir, 'targets.json');
  const extra = [...(o.extraTargets ?? [])];
  await writeFile(fileSdPath, fileSd(extra, cluster));
  const config = join(dir, 'scrape.yml');
  const hasApi = target && target.kind !== 'none';
  const inputs = {
    scrapeIntervalMs: o.scrapeIntervalMs,
    cluster,
    apiServer: hasApi ? target.server : undefined,
    auth: hasApi ? await writeAuth(dir, target) : undefined,
    cadvisorPath: o.target?.cadvisorPath,
    exporterUrl: o.exporterUrl,
    fileSdPath,
  };
  await writeFile(config, scrapeConfig(inputs));
  const port = o.port || (await freePort());
  const dataDir = join(dir, 'data');
  let stderr = '';
  const child: ChildProcess = spawn(
    binary,
    args(o.backend, { port, dataDir, config, intervalMs: o.scrapeIntervalMs }),
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr!.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never outlive kubeperf (a second Ctrl-C exits at once, without the normal stop).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;
  const endpoint: PromEndpoint = {
    url,
    scrapeIntervalMs: o.scrapeIntervalMs,
    ...(o.backend === 'victoriametrics'
      ? {
          flush: async () => {
            await fetch(`${url}/internal/force_flush`, { signal: AbortSignal.timeout(5000) });
          },
        }
      : {}),
  };
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(o.backend, url, child, () => stderr);
    const pending = await waitScraped(endpoint, staticJobs(inputs), o.scrapeIntervalMs);
    if (pending.length)
      o.log.warn(
        `${o.backend}: no successful scrape yet of ${pending.join(', ')} (is the target reachable?)`,
      );
  } catch (e) {
    await stop();
    throw e;
  }
  o.log.debug(`${o.backend} pid ${child.pid} on ${url}, config ${config}`);
  return {
    backend: o.backend,
    endpoint,
    pid: child.pid!,
    addTarget: async (t) => {
      extra.push(t);
      await writeFile(fileSdPath + '.tmp', fileSd(extra, cluster));
      const { rename } = await import('node:fs/promises');
      await rename(fileSdPath + '.tmp', fileSdPath);
    },
    stop,
  };
}

async function waitReady(backend: Backend, url: string, child: ChildProcess, stderr: () => string) {
  const path = backend === 'prometheus' ? '/-/ready' : '/health';
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new KubeperfError(
        `${backend} exited during start (code ${child.exitCode}): ${stderr().trim().slice(-800)}`,
      );
    }
    try {
      const r = await fetch(url + path, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new KubeperfError(`${backend} did not become ready at ${url}${path} within 30 s (${last})`);
}

/**
 * Prometheus applies discovered targets on a 5 s tick (and VictoriaMetrics shows new series after a
 * flush), so a study that starts right away would have no data for its first phase: wait (bounded)
 * until every static job has been scraped successfully.
 * Returns the jobs still without a successful scrape.
 */
async function waitScraped(ep: PromEndpoint, jobs: string[], intervalMs: number): Promise<string[]> {
  const deadline = Date.now() + Math.max(15_000, 5 * intervalMs);
  let pending = jobs;
  while (pending.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    await ep.flush?.().catch(() => {});
    const up = await instantQuery({ url: ep.url, timeoutMs: 2000 }, 'up == 1').catch(() => []);
    const seen = new Set(up.map((s) => s.labels.job));
    pending = jobs.filter((j) => !seen.has(j));
  }
  return pending;
}
