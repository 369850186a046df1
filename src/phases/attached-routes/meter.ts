/**
 * Per-step counters read from /metrics endpoints at each step boundary: the API server's
 * apiserver_request_total (the status write requests on Gateway API kinds: the controller's, since
 * only controllers write status) and the controller's own /metrics (process CPU seconds and resident
 * memory, controller-runtime reconciles, and for the simulated controller its status writes by kind).
 * A source that cannot be read is skipped with a warning; the watch-based counts never depend on it.
 */
import type { KubeClient } from '../../kube/client.js';
import { metricsFetcher, type MetricsFetch } from '../../kube/metrics-fetch.js';
import { counterDiff, parsePromText, sumOf, type Scrape } from '../../metrics/prom-text.js';
import { GATEWAY_GROUP } from '../../gateway-api/resources.js';

const CONTROLLER_SERIES = [
  'workqueue_depth',
  'workqueue_unfinished_work_seconds',
  'gateway_pending_changes',
  'gateway_translation_in_progress',
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'controller_runtime_reconcile_total',
  'gateway_status_writes_total',
  'gateway_translations_total',
];

export interface StepCounters {
  /** Status write requests the API server counted on Gateway API kinds, by resource (gateways, httproutes, gatewayclasses). */
  apiStatusWrites?: Record<string, number>;
  /** Of which answered 409 Conflict. */
  apiStatusConflicts?: number;
  controllerCpuSeconds?: number;
  /** Controller resident memory at the end of the step. */
  controllerRssBytes?: number;
  controllerReconciles?: number;
  /** Status writes the simulated controller reports as having changed an object, by kind. */
  controllerStatusWrites?: Record<string, number>;
  controllerTranslations?: number;
}

interface Mark {
  api?: Scrape;
  ctrl?: Scrape;
}

export class StepMeter {
  private readonly marks: Mark[] = [];
  readonly warnings: string[] = [];
  private api: MetricsFetch | undefined;
  controller: MetricsFetch | undefined;

  constructor(client: KubeClient, controllerUrl: string | undefined) {
    this.api = metricsFetcher('/metrics', client);
    this.controller = controllerUrl ? metricsFetcher(controllerUrl, client) : undefined;
  }

  /** Scrapes both sources (in parallel); call at every step boundary. */
  async mark(): Promise<void> {
    const [api, ctrl] = await Promise.all([
      this.api?.().then(
        (t) => parsePromText(t, ['apiserver_request_total']),
        (e: unknown) => {
          this.api = undefined;
          this.warnings.push(
            `the API server's /metrics could not be read (${(e as Error).message}): no API-side status write counts`,
          );
          return undefined;
        },
      ),
      this.controller?.().then(
        (t) => parsePromText(t, CONTROLLER_SERIES),
        (e: unknown) => {
          this.controller = undefined;
          this.warnings.push(
            `the controller's /metrics could not be read (${(e as Error).message}): no controller CPU, memory or reconcile counts`,
          );
          return undefined;
        },
      ),
    ]);
    this.marks.push({ api, ctrl });
  }

  /**
   * Whether the controller has nothing queued, in flight or waiting for translation (its work queues
   * and, for the simulated one, its change set); undefined when its /metrics cannot tell.
   */
  async controllerIdle(): Promise<boolean | undefined> {
    if (!this.controller) return undefined;
    try {
      const s = parsePromText(await this.controller(), CONTROLLER_SERIES);
      const depth = sumOf(s, 'workqueue_depth');
      if (depth === undefined) return undefined;
      return (
        depth === 0 &&
        (sumOf(s, 'workqueue_unfinished_work_seconds') ?? 0) === 0 &&
        (sumOf(s, 'gateway_pending_changes') ?? 0) === 0 &&
        (sumOf(s, 'gateway_translation_in_progress') ?? 0) === 0
      );
    } catch {
      return undefined;
    }
  }

  /** Counters of step i: between mark i and mark i+1. */
  step(i: number): StepCounters {
    const a = this.marks[i];
    const b = this.marks[i + 1];
    const out: StepCounters = {};
    if (a?.api && b?.api) {
      const diff = counterDiff(a.api, b.api, 'apiserver_request_total', ['resource', 'verb', 'code'], {
        group: GATEWAY_GROUP,
        subresource: 'status',
      });
      const writes: Record<string, number> = {};
      let conflicts = 0;
      for (const { labels, value } of diff.values()) {
        if (!['PUT', 'PATCH', 'APPLY'].includes(labels.verb!)) continue;
        writes[labels.resource!] = (writes[labels.resource!] ?? 0) + value;
        if (labels.code === '409') conflicts += value;
      }
      out.apiStatusWrites = writes;
      out.apiStatusConflicts = conflicts;
    }
    if (a?.ctrl && b?.ctrl) {
      const d = (name: string, match: Record<string, string> = {}) => {
        let v = 0;
        for (const x of counterDiff(a.ctrl!, b.ctrl!, name, [], match).values()) v += x.value;
        return sumOf(b.ctrl!, name) === undefined ? undefined : v;
      };
      out.controllerCpuSeconds = round(d('process_cpu_seconds_total'));
      out.controllerRssBytes = sumOf(b.ctrl, 'process_resident_memory_bytes');
      out.controllerReconciles = d('controller_runtime_reconcile_total');
      out.controllerTranslations = d('gateway_translations_total');
      if (sumOf(b.ctrl, 'gateway_status_writes_total') !== undefined) {
        const byKind: Record<string, number> = {};
        for (const { labels, value } of counterDiff(a.ctrl, b.ctrl, 'gateway_status_writes_total', ['kind'], {
          result: 'changed',
        }).values())
          byKind[labels.kind!] = value;
        out.controllerStatusWrites = byKind;
      }
    }
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as StepCounters;
  }
}

function round(v: number | undefined): number | undefined {
  return v === undefined ? undefined : Math.round(v * 1000) / 1000;
}
