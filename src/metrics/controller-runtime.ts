/**
 * controller-runtime's and client-go's workqueue metric families, with their names, labels and
 * buckets, for controllers kubeperf runs itself (the embedded control plane's controllers, the
 * simulated kro/project/gateway controllers in their own processes), so the controller dashboard and
 * the controllerMetrics measurement read them exactly as they read kro's or any operator's.
 * Hand-rendered text (a handful of series): no registry per process, no per-observation allocation.
 */

/** controller-runtime's reconcile_time_seconds buckets (v0.15+). */
export const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5,
  1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
/** client-go workqueue duration buckets: ExponentialBuckets(10e-9, 10, 12). */
export const WORKQUEUE_BUCKETS = Array.from({ length: 12 }, (_, i) =>
  Number((1e-8 * 10 ** i).toPrecision(1)),
);

export type ReconcileResult = 'success' | 'error' | 'requeue' | 'requeue_after';

class Hist {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }
  observe(v: number): void {
    for (let i = 0; i < this.bounds.length; i++) if (v <= this.bounds[i]!) this.counts[i]!++;
    this.sum += v;
    this.count++;
  }
  lines(name: string, labels: string): string[] {
    const out = this.bounds.map((b, i) => `${name}_bucket{${labels},le="${b}"} ${this.counts[i]}`);
    out.push(`${name}_bucket{${labels},le="+Inf"} ${this.count}`, `${name}_sum{${labels}} ${this.sum}`);
    out.push(`${name}_count{${labels}} ${this.count}`);
    return out;
  }
}

/** One controller and its work queue (controller-runtime names the queue after the controller). */
export class ControllerMeter {
  readonly results: Record<ReconcileResult, number> = { success: 0, error: 0, requeue: 0, requeue_after: 0 };
  readonly reconcileTime = new Hist(RECONCILE_BUCKETS);
  readonly queueDuration = new Hist(WORKQUEUE_BUCKETS);
  readonly workDuration = new Hist(WORKQUEUE_BUCKETS);
  adds = 0;
  retries = 0;
  depth = 0;
  constructor(readonly name: string) {}

  added(depth: number): void {
    this.adds++;
    this.depth = depth;
  }
  retried(): void {
    this.retries++;
  }
  /** A key left the queue after waiting `waitSeconds`; `depth` is what is left. */
  dequeued(waitSeconds: number, depth: number): void {
    this.queueDuration.observe(waitSeconds);
    this.depth = depth;
  }
  reconciled(seconds: number, result: ReconcileResult): void {
    this.results[result]++;
    this.reconcileTime.observe(seconds);
    this.workDuration.observe(seconds);
  }
}

export class ControllerRuntimeMetrics {
  private readonly meters = new Map<string, ControllerMeter>();

  /** The meter of a controller, created (with zero-valued series) on first use. */
  controller(name: string): ControllerMeter {
    let m = this.meters.get(name);
    if (!m) this.meters.set(name, (m = new ControllerMeter(name)));
    return m;
  }

  render(): string {
    const ms = [...this.meters.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    if (!ms.length) return '';
    const out: string[] = [];
    const family = (name: string, type: string, help: string, lines: (m: ControllerMeter) => string[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const m of ms) out.push(...lines(m));
    };
    const c = (m: ControllerMeter) => `controller="${m.name}"`;
    const q = (m: ControllerMeter) => `name="${m.name}"`;
    family(
      'controller_runtime_reconcile_total',
      'counter',
      'Total number of reconciliations per controller',
      (m) =>
        (Object.keys(m.results) as ReconcileResult[]).map(
          (r) => `controller_runtime_reconcile_total{${c(m)},result="${r}"} ${m.results[r]}`,
        ),
    );
    family(
      'controller_runtime_reconcile_errors_total',
      'counter',
      'Total number of reconciliation errors per controller',
      (m) => [`controller_runtime_reconcile_errors_total{${c(m)}} ${m.results.error}`],
    );
    family(
      'controller_runtime_reconcile_time_seconds',
      'histogram',
      'Length of time per reconciliation per controller',
      (m) => m.reconcileTime.lines('controller_runtime_reconcile_time_seconds', c(m)),
    );
    family('workqueue_adds_total', 'counter', 'Total number of adds handled by workqueue', (m) => [
      `workqueue_adds_total{${q(m)}} ${m.adds}`,
    ]);
    family('workqueue_depth', 'gauge', 'Current depth of workqueue', (m) => [
      `workqueue_depth{${q(m)}} ${m.depth}`,
    ]);
    family(
      'workqueue_queue_duration_seconds',
      'histogram',
      'How long in seconds an item stays in workqueue before being requested',
      (m) => m.queueDuration.lines('workqueue_queue_duration_seconds', q(m)),
    );
    family(
      'workqueue_work_duration_seconds',
      'histogram',
      'How long in seconds processing an item from workqueue takes',
      (m) => m.workDuration.lines('workqueue_work_duration_seconds', q(m)),
    );
    family('workqueue_retries_total', 'counter', 'Total number of retries handled by workqueue', (m) => [
      `workqueue_retries_total{${q(m)}} ${m.retries}`,
    ]);
    return out.join('\n') + '\n';
  }
}
