/**
 * What a run measures besides its own requests, opened once per run: kubeperf's exporter
 * (--metrics-port / metrics.exporterPort), the local metrics stack (metrics.local), the query endpoint
 * measurements use, and the measurement session. Nothing here may fail the run because a metrics
 * backend is down; a PromQL syntax error found by the preflight is bad input (exit 2) before any load.
 */
import { InputError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { LoadedStudy } from '../config/load.js';
import { parseDuration } from '../config/duration.js';
import { MeasurementSession } from '../measurements/session.js';
import type { PromEndpoint } from '../metrics/promql-client.js';
import { startExporter, type RunExporter } from '../monitoring/exporter.js';
import { probeCadvisorPath, startLocalStack, type LocalStack } from '../monitoring/stack.js';
import type { PhaseObserve } from '../phases/types.js';
import type { OpenTarget } from './target.js';

export interface Observability {
  session?: MeasurementSession;
  exporter?: RunExporter;
  stack?: LocalStack;
  prometheus?: PromEndpoint;
  /** What phases get as `ctx.observe`. */
  observe: PhaseObserve;
  stop(): Promise<void>;
}

export async function openObservability(
  loaded: LoadedStudy,
  open: OpenTarget,
  opts: { runId: string; metricsPort?: number; clock: Clock; log: Logger; signal: AbortSignal },
): Promise<Observability> {
  const m = loaded.study.metrics;
  const log = opts.log;
  const port = opts.metricsPort ?? m?.exporterPort;
  const out: Observability = { observe: {}, stop: async () => {} };
  out.stop = async () => {
    // The exporter first: it waits (bounded) for the stack's final scrape of it.
    for (const s of [out.exporter, out.stack]) {
      await s?.stop().catch((e) => log.warn(`stopping metrics: ${(e as Error).message}`));
    }
  };
  try {
    // The local stack scrapes the exporter, so it runs (on a free port) whenever the stack does.
    if (port !== undefined || m?.local) {
      out.exporter = await startExporter({ port: port ?? 0, runId: opts.runId, study: loaded.study.name });
      log.info(`kubeperf exporter: ${out.exporter.url}/metrics`);
    }
    if (m?.local) {
      const intervalMs = parseDuration(m.scrapeInterval)!;
      out.stack = await startLocalStack({
        backend: m.local,
        port: m.port,
        scrapeIntervalMs: intervalMs,
        target: {
          target: open.target,
          cadvisorPath: open.cluster?.cadvisorPath ?? (await probeCadvisorPath(open.apiGet)),
        },
        exporterUrl: out.exporter?.url,
        log,
      });
      out.prometheus = out.stack.endpoint;
      log.info(`${m.local}: ${out.stack.endpoint.url} (scrape every ${m.scrapeInterval})`);
    } else if (m?.url) {
      out.prometheus = {
        url: m.url,
        headers: m.bearerToken ? { authorization: `Bearer ${m.bearerToken}` } : undefined,
      };
    }
    const cluster = open.cluster;
    const stack = out.stack;
    out.observe = {
      prometheus: out.prometheus,
      registerProcess: cluster ? (p) => cluster.registerProcess(p) : undefined,
      addScrapeTarget: stack ? (t) => stack.addTarget(t) : undefined,
    };
    if (loaded.measurements.length) {
      out.session = new MeasurementSession(loaded.measurements, {
        target: open.target,
        baseDir: loaded.baseDir,
        apiGet: open.apiGet,
        prometheus: out.prometheus,
        clock: opts.clock,
        log: log.child('measure'),
        signal: opts.signal,
      });
      const problems = await out.session.preflight();
      if (problems.length) {
        throw new InputError(`${loaded.source}: ${problems.length} problem(s) in measurements`, {
          problems,
          hint: 'fix the queries above; no load was sent',
        });
      }
    }
  } catch (e) {
    await out.stop();
    throw e;
  }
  return out;
}
