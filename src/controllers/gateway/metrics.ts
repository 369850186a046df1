/**
 * The simulated gateway controller's own metric names, beside the runtime's controller_runtime_* and
 * workqueue_* families: translations and their duration, status writes by kind and result (a write
 * that changed the object, a no-op, a conflict, an error), the attachedRoutes it last published, the
 * changes waiting for the next translation, and the wall-clock times of the last translation start
 * and the last Gateway status write (so a test can check the order of events against its watch).
 */
import type { ControllerMetrics } from '../runtime/metrics.js';

const translationBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export type WriteResult = 'changed' | 'unchanged' | 'conflict' | 'error';

export function gatewayMetrics(m: ControllerMetrics) {
  const translations = m.counter('gateway_translations_total', 'Translations of Gateways and their routes');
  const duration = m.histogram(
    'gateway_translation_duration_seconds',
    'Time from taking a batch of changes to publishing its status (includes translationDelayMs)',
    translationBuckets,
  );
  const writes = m.counter('gateway_status_writes_total', 'Status writes by kind and result', [
    'kind',
    'result',
  ]);
  const attached = m.gauge('gateway_attached_routes', 'attachedRoutes last published per listener', [
    'namespace',
    'name',
    'listener',
  ]);
  const pending = m.gauge('gateway_pending_changes', 'Changed objects waiting for the next translation');
  const inProgress = m.gauge(
    'gateway_translation_in_progress',
    '1 while a translation runs (its delay included)',
  );
  const lastStart = m.gauge(
    'gateway_translation_last_start_timestamp_seconds',
    'Wall-clock time the last translation of a Gateway took its snapshot',
    ['namespace', 'name'],
  );
  const lastWrite = m.gauge(
    'gateway_status_last_write_timestamp_seconds',
    'Wall-clock time the last Gateway status write was sent',
    ['namespace', 'name'],
  );
  for (const kind of ['GatewayClass', 'Gateway', 'HTTPRoute'])
    for (const result of ['changed', 'unchanged', 'conflict', 'error']) writes.inc({ kind, result }, 0);
  translations.inc(0);
  pending.set(0);
  inProgress.set(0);
  return {
    translated: (seconds: number) => {
      translations.inc();
      duration.observe(seconds);
    },
    wrote: (kind: string, result: WriteResult) => writes.inc({ kind, result }),
    attachedRoutes: (ns: string, name: string, listener: string, n: number) =>
      attached.set({ namespace: ns, name, listener }, n),
    forget: (ns: string, name: string, listeners: string[]) => {
      for (const listener of listeners) attached.remove({ namespace: ns, name, listener });
      lastStart.remove({ namespace: ns, name });
      lastWrite.remove({ namespace: ns, name });
    },
    pending: (n: number) => pending.set(n),
    translating: (on: boolean) => inProgress.set(on ? 1 : 0),
    translationStarted: (ns: string, name: string, epochMs: number) =>
      lastStart.set({ namespace: ns, name }, epochMs / 1000),
    gatewayWriteSent: (ns: string, name: string, epochMs: number) =>
      lastWrite.set({ namespace: ns, name }, epochMs / 1000),
  };
}
export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;
