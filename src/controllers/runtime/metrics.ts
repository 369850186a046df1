/**
 * A controller process's Prometheus metrics (prom-client), with the names controller-runtime and
 * client-go export, so the dashboards and the measurements that read a real controller read a
 * simulated one too: controller_runtime_reconcile_*, workqueue_* (labels controller and name, as
 * controller-runtime registers them), rest_client_*, and prom-client's process_* defaults (CPU
 * seconds, resident memory). Each family is created once per registry; callers get labelled children.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** controller-runtime's reconcile-time buckets (pkg/internal/controller/metrics). */
export const reconcileTimeBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5,
  1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
/** client-go's workqueue duration buckets: ExponentialBuckets(10e-9, 10, 12). */
export const workqueueBuckets = Array.from({ length: 12 }, (_, i) => 1e-8 * 10 ** i);
/** client-go's rest_client latency buckets. */
export const restClientBuckets = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

export interface WorkqueueMetrics {
  add(): void;
  /** An item left the queue after waiting this long (s). */
  got(waitedS: number): void;
  /** A worker finished an item after this long (s). */
  done(workedS: number): void;
  retry(): void;
  /** Items currently being processed, by start time (ms), for the unfinished-work gauges. */
  trackInFlight(inFlightStarts: () => Iterable<number>, now: () => number): void;
}

export type ReconcileOutcome = 'success' | 'error' | 'requeue' | 'requeue_after';

export interface ReconcilerMetrics {
  reconciled(outcome: ReconcileOutcome, seconds: number): void;
  activeWorkers(delta: number): void;
}

export interface RestClientMetrics {
  request(method: string, code: number | string, seconds: number): void;
  throttled(method: string, seconds: number): void;
}

export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly families = new Map<string, Counter | Gauge | Histogram>();
  /** Per queue: start times (ms) of the items being processed, read at scrape time. */
  private readonly inFlight = new Map<string, { starts: () => Iterable<number>; now: () => number }>();

  constructor(o: { processMetrics?: boolean } = {}) {
    if (o.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** A family registered once in this registry (prom-client refuses duplicates). */
  family<T extends Counter | Gauge | Histogram>(name: string, make: (registers: Registry[]) => T): T {
    let f = this.families.get(name);
    if (!f) {
      f = make([this.registry]);
      this.families.set(name, f);
    }
    return f as T;
  }

  counter(name: string, help: string, labelNames: string[] = []): Counter {
    return this.family(name, (registers) => new Counter({ name, help, labelNames, registers }));
  }

  gauge(name: string, help: string, labelNames: string[] = []): Gauge {
    return this.family(name, (registers) => new Gauge({ name, help, labelNames, registers }));
  }

  histogram(name: string, help: string, buckets: number[], labelNames: string[] = []): Histogram {
    return this.family(name, (registers) => new Histogram({ name, help, labelNames, buckets, registers }));
  }

  workqueue(name: string): WorkqueueMetrics {
    const l = { controller: name, name };
    const labels = ['controller', 'name'];
    const depth = this.gauge('workqueue_depth', 'Current depth of workqueue', labels);
    const adds = this.counter('workqueue_adds_total', 'Total number of adds handled by workqueue', labels);
    const queueDuration = this.histogram(
      'workqueue_queue_duration_seconds',
      'How long in seconds an item stays in workqueue before being requested',
      workqueueBuckets,
      labels,
    );
    const workDuration = this.histogram(
      'workqueue_work_duration_seconds',
      'How long in seconds processing an item from workqueue takes.',
      workqueueBuckets,
      labels,
    );
    const retries = this.counter(
      'workqueue_retries_total',
      'Total number of retries handled by workqueue',
      labels,
    );
    this.inFlightWork(labels);
    depth.set(l, 0);
    adds.inc(l, 0);
    retries.inc(l, 0);
    return {
      add: () => {
        adds.inc(l);
        depth.inc(l);
      },
      got: (s) => {
        depth.dec(l);
        queueDuration.observe(l, s);
      },
      done: (s) => workDuration.observe(l, s),
      retry: () => retries.inc(l),
      trackInFlight: (starts, now) => void this.inFlight.set(name, { starts, now }),
    };
  }

  /** client-go's unfinished-work gauges, computed at scrape time from the queues' in-flight items. */
  private inFlightWork(labelNames: string[]): void {
    const queues = this.inFlight;
    const gauge = (name: string, help: string, pick: (totalS: number, maxS: number) => number) =>
      this.family(
        name,
        (registers) =>
          new Gauge({
            name,
            help,
            labelNames,
            registers,
            collect() {
              for (const [queue, q] of queues) {
                const t = q.now();
                let total = 0;
                let max = 0;
                for (const s of q.starts()) {
                  total += t - s;
                  max = Math.max(max, t - s);
                }
                this.set({ controller: queue, name: queue }, pick(total / 1000, max / 1000));
              }
            },
          }),
      );
    gauge(
      'workqueue_unfinished_work_seconds',
      "How many seconds of work has been done that is in progress and hasn't been observed by work_duration.",
      (total) => total,
    );
    gauge(
      'workqueue_longest_running_processor_seconds',
      'How many seconds has the longest running processor for workqueue been running.',
      (_, max) => max,
    );
  }

  reconciler(controller: string, maxConcurrent: number): ReconcilerMetrics {
    const l = { controller };
    const total = this.counter(
      'controller_runtime_reconcile_total',
      'Total number of reconciliations per controller',
      ['controller', 'result'],
    );
    const errors = this.counter(
      'controller_runtime_reconcile_errors_total',
      'Total number of reconciliation errors per controller',
      ['controller'],
    );
    const time = this.histogram(
      'controller_runtime_reconcile_time_seconds',
      'Length of time per reconciliation per controller',
      reconcileTimeBuckets,
      ['controller'],
    );
    const active = this.gauge(
      'controller_runtime_active_workers',
      'Number of currently used workers per controller',
      ['controller'],
    );
    this.gauge(
      'controller_runtime_max_concurrent_reconciles',
      'Maximum number of concurrent reconciles per controller',
      ['controller'],
    ).set(l, maxConcurrent);
    for (const result of ['success', 'error', 'requeue', 'requeue_after'])
      total.inc({ controller, result }, 0);
    errors.inc(l, 0);
    active.set(l, 0);
    return {
      reconciled: (outcome, seconds) => {
        total.inc({ controller, result: outcome });
        if (outcome === 'error') errors.inc(l);
        time.observe(l, seconds);
      },
      activeWorkers: (d) => active.inc(l, d),
    };
  }

  restClient(host: string): RestClientMetrics {
    const requests = this.counter(
      'rest_client_requests_total',
      'Number of HTTP requests, partitioned by status code, method, and host.',
      ['code', 'host', 'method'],
    );
    const latency = this.histogram(
      'rest_client_request_duration_seconds',
      'Request latency in seconds. Broken down by verb, and host.',
      restClientBuckets,
      ['host', 'verb'],
    );
    const limiter = this.histogram(
      'rest_client_rate_limiter_duration_seconds',
      'Client side rate limiter latency in seconds. Broken down by verb, and host.',
      restClientBuckets,
      ['host', 'verb'],
    );
    return {
      request: (method, code, seconds) => {
        requests.inc({ code: String(code), host, method });
        latency.observe({ host, verb: method }, seconds);
      },
      throttled: (method, seconds) => limiter.observe({ host, verb: method }, seconds),
    };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
