/**
 * kubeperf's own /metrics during a run (`--metrics-port N`), in the Prometheus text format through
 * prom-client: requests by phase/op/code, client latency histograms (the same buckets as
 * apiserver_request_duration_seconds, so client and server plot on one axis), requests in flight,
 * phase progress, readiness counts.
 *
 * It must not slow the load engine: nothing is added to the per-request path. Every figure is read on
 * scrape from what the Recorder keeps anyway (per-op totals and the HDR histogram), from the phase
 * progress calls, and from one integer the REST client keeps (bench/monitoring/exporter.bench.ts
 * measures the cost).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import client from 'prom-client';
import type { ProgressReporter } from '../core/progress.js';
import { KubeperfError } from '../core/errors.js';
import { restInFlight } from '../kube/rest.js';
import { createHistogram } from '../metrics/histogram.js';
import type { LiveOp, Recorder } from '../metrics/recorder.js';
import type { PhaseResult } from '../results/types.js';

/** kube-apiserver's request-duration buckets (seconds). */
export const LATENCY_BUCKETS = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];
/** How long stop() waits for a scraper that has been scraping to fetch the final values. */
const FINAL_SCRAPE_WAIT_MS = 5000;
const READINESS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600];

interface PhaseState {
  type?: string;
  recorders: Recorder[];
  done: number;
  total: number;
  running: boolean;
}

export interface RunExporter {
  url: string;
  port: number;
  /** A phase (repeat) began recording into `recorder`. */
  watch(phase: string, recorder: Recorder, type?: string): void;
  /** Wraps a phase's progress reporter so progress is exported too. */
  progress(phase: string, inner: ProgressReporter): ProgressReporter;
  phaseEnded(result: PhaseResult): void;
  /** The text a scrape would return (tests, the bench). */
  render(): Promise<string>;
  /** Stops serving after waiting (up to `finalScrapeWaitMs`) for a scraper that has been scraping to fetch the final values. */
  stop(finalScrapeWaitMs?: number): Promise<void>;
}

type Sample = { labels: Record<string, string | number>; value: number; metricName?: string };

/** A metric whose samples are computed on scrape (prom-client's registry formats it). */
function computed(
  name: string,
  help: string,
  type: 'counter' | 'gauge' | 'histogram',
  values: () => Sample[],
) {
  return {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
  };
}

interface HdrInternals {
  totalCount: number;
  maxValue: number;
  countsArrayLength: number;
  countsArrayIndex(value: number): number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
}

/**
 * Cumulative histogram samples (le in seconds) from an HDR histogram of µs, in one pass over its
 * counts array (HDR's value iterator allocated per step: 9 ms per scrape of 300,000 records; this
 * walk is a typed-array scan). HDR values are quantised to 3 significant digits, so a value within
 * 0.1% of a bound may land on the other side of it.
 */
function hdrBuckets(name: string, labels: Record<string, string>, op: LiveOp, bounds: number[]): Sample[] {
  const h = op.hist as unknown as HdrInternals;
  const cum = new Array<number>(bounds.length).fill(h.totalCount);
  let sumUs = 0;
  if (h.totalCount > 0) {
    const last = Math.min(h.countsArrayLength - 1, h.countsArrayIndex(h.maxValue));
    const at = bounds.map((b) => h.countsArrayIndex(b * 1e6));
    let running = 0;
    let bi = 0;
    while (bi < bounds.length && at[bi]! < 0) cum[bi++] = 0;
    for (let i = 0; i <= last; i++) {
      const n = h.getCountAtIndex(i);
      if (n) {
        running += n;
        sumUs += n * h.valueFromIndex(i);
      }
      while (bi < bounds.length && at[bi] === i) cum[bi++] = running;
    }
  }
  const out: Sample[] = bounds.map((b, i) => ({
    metricName: `${name}_bucket`,
    labels: { ...labels, le: b },
    value: cum[i]!,
  }));
  out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: h.totalCount });
  out.push({ metricName: `${name}_sum`, labels, value: sumUs / 1e6 });
  out.push({ metricName: `${name}_count`, labels, value: h.totalCount });
  return out;
}

const emptyOp: LiveOp = { hist: createHistogram(), count: 0, errors: 0, retries: 0, errorsByCode: {} };

/** Repeats of a phase as one record (totals summed, histograms added). */
function mergeLive(ops: LiveOp[]): LiveOp {
  const hist = createHistogram();
  for (const o of ops) hist.add(o.hist);
  return {
    hist,
    count: ops.reduce((a, o) => a + o.count, 0),
    errors: ops.reduce((a, o) => a + o.errors, 0),
    retries: ops.reduce((a, o) => a + o.retries, 0),
    errorsByCode: {},
  };
}

export async function startExporter(opts: {
  port: number;
  host?: string;
  runId: string;
  study: string;
}): Promise<RunExporter> {
  const phases = new Map<string, PhaseState>();
  const state = (phase: string): PhaseState => {
    let s = phases.get(phase);
    if (!s) phases.set(phase, (s = { recorders: [], done: 0, total: 0, running: false }));
    return s;
  };
  /** Per phase and op, the Recorder's live records across the phase's repeats. */
  const eachOp = (fn: (phase: string, op: string, r: LiveOp) => void) => {
    for (const [phase, s] of phases)
      for (const rec of s.recorders) for (const [op, r] of rec.liveOps()) fn(phase, op, r);
  };
  const isRequest = (op: string) => op !== 'readiness';
  /** Each phase's readiness record, repeats merged. */
  const readiness = (): [string, LiveOp | undefined][] =>
    [...phases].map(([phase, s]) => {
      const recs = s.recorders.map((r) => r.liveOps().get('readiness')).filter((x): x is LiveOp => !!x);
      return [phase, recs.length === 1 ? recs[0] : recs.length ? mergeLive(recs) : undefined];
    });

  const registry = new client.Registry();
  const metrics = [
    computed('kubeperf_run_info', 'The run being exported (value 1).', 'gauge', () => [
      { labels: { run_id: opts.runId, study: opts.study }, value: 1 },
    ]),
    computed(
      'kubeperf_requests_total',
      'Requests that finished, by phase, op and code ("2xx" for successes, the HTTP code of an error, 0 for a connection error).',
      'counter',
      () => {
        const out: Sample[] = [];
        eachOp((phase, op, r) => {
          if (!isRequest(op)) return;
          out.push({ labels: { phase, op, code: '2xx' }, value: r.count - r.errors });
          for (const [code, n] of Object.entries(r.errorsByCode))
            out.push({ labels: { phase, op, code }, value: n });
        });
        return out;
      },
    ),
    computed('kubeperf_request_retries_total', 'Retries of requests, by phase and op.', 'counter', () => {
      const out: Sample[] = [];
      eachOp((phase, op, r) => isRequest(op) && out.push({ labels: { phase, op }, value: r.retries }));
      return out;
    }),
    computed(
      'kubeperf_request_duration_seconds',
      'Client-side latency of successful requests (from the intended start), by phase and op.',
      'histogram',
      () => {
        const out: Sample[] = [];
        eachOp(
          (phase, op, r) =>
            isRequest(op) &&
            out.push(...hdrBuckets('kubeperf_request_duration_seconds', { phase, op }, r, LATENCY_BUCKETS)),
        );
        return out;
      },
    ),
    computed(
      'kubeperf_requests_in_flight',
      'Requests sent and not yet answered (all phases).',
      'gauge',
      () => [{ labels: {}, value: restInFlight.count }],
    ),
    computed('kubeperf_phase_running', 'Whether a phase is running (1) or finished (0).', 'gauge', () =>
      [...phases].map(([phase, s]) => ({ labels: { phase, type: s.type ?? '' }, value: s.running ? 1 : 0 })),
    ),
    computed(
      'kubeperf_phase_progress_ratio',
      'Done / declared work of a phase (0 when unknown).',
      'gauge',
      () =>
        [...phases].map(([phase, s]) => ({
          labels: { phase },
          value: s.total > 0 ? Math.min(1, s.done / s.total) : s.running ? 0 : 1,
        })),
    ),
    // Readiness series exist for every phase (zero when it waits for nothing), so a dashboard shows 0, not "no data".
    computed('kubeperf_objects_ready_total', 'Objects seen Ready by watch, by phase.', 'counter', () =>
      readiness().map(([phase, r]) => ({ labels: { phase }, value: r ? r.count - r.errors : 0 })),
    ),
    computed(
      'kubeperf_objects_not_ready_total',
      'Objects that did not become Ready (timeouts, errors), by phase.',
      'counter',
      () => readiness().map(([phase, r]) => ({ labels: { phase }, value: r ? r.errors : 0 })),
    ),
    computed(
      'kubeperf_readiness_seconds',
      'Time from create to Ready seen by watch, by phase.',
      'histogram',
      () =>
        readiness().flatMap(([phase, r]) =>
          hdrBuckets('kubeperf_readiness_seconds', { phase }, r ?? emptyOp, READINESS_BUCKETS),
        ),
    ),
  ];
  for (const m of metrics) registry.registerMetric(m as unknown as client.Metric);

  let scrapes = 0;
  let lastScrapeMs = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics' && !req.url?.startsWith('/metrics?')) {
      res.writeHead(404).end('not found: kubeperf serves /metrics\n');
      return;
    }
    scrapes++;
    lastScrapeMs = Date.now();
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (e: Error) => res.writeHead(500).end(e.message),
    );
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new KubeperfError(
          e.code === 'EADDRINUSE'
            ? `--metrics-port ${opts.port}: the port is in use; pick another or 0 for a free one`
            : `kubeperf exporter: cannot listen on ${host}:${opts.port}: ${e.message}`,
          { exitCode: 2 },
        ),
      ),
    );
    server.listen(opts.port, host, () => resolve());
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    watch(phase, recorder, type) {
      const s = state(phase);
      s.type ??= type;
      s.recorders.push(recorder);
      s.running = true;
    },
    progress(phase, inner) {
      const s = state(phase.replace(/ \d+\/\d+$/, ''));
      return {
        start(total, unit) {
          s.total += total ?? 0;
          inner.start(total, unit);
        },
        advance(done = 1, errors) {
          s.done += done;
          inner.advance(done, errors);
        },
        status: (t) => inner.status(t),
        finish: () => inner.finish(),
      };
    },
    phaseEnded(result) {
      const s = state(result.name);
      s.type = result.type;
      s.running = false;
    },
    render: () => registry.metrics(),
    async stop(finalScrapeWaitMs = FINAL_SCRAPE_WAIT_MS) {
      // Whoever scrapes us (the local stack, a user's Prometheus) gets the final values once more.
      const since = Date.now();
      while (scrapes > 0 && lastScrapeMs < since && Date.now() - since < finalScrapeWaitMs) {
        await new Promise((r) => setTimeout(r, 50));
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
