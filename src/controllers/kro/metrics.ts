/**
 * kro's own metric names (pkg/dynamiccontroller/metrics.go, pkg/metrics), served beside the runtime's
 * controller_runtime_* and workqueue_* families, so dashboards and measurements built for real kro
 * read the simulated one too.
 */
import type { ControllerMetrics } from '../runtime/metrics.js';

const kroBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 25, 30, 45, 60, 120];

export function kroMetrics(m: ControllerMetrics) {
  const reconcileTotal = m.counter(
    'dynamic_controller_reconcile_total',
    'Total number of reconciliations per GVR',
    ['gvr'],
  );
  const requeueTotal = m.counter('dynamic_controller_requeue_total', 'Total number of requeues per GVR', [
    'gvr',
    'type',
  ]);
  const reconcileDuration = m.histogram(
    'dynamic_controller_reconcile_duration_seconds',
    'Duration of reconciliations per GVR',
    kroBuckets,
    ['gvr'],
  );
  const gvrCount = m.gauge(
    'dynamic_controller_gvr_count',
    'Number of Instance GVRs currently managed by the controller',
  );
  const queueLength = m.gauge('dynamic_controller_queue_length', 'Current length of the workqueue');
  const informerEvents = m.counter(
    'dynamic_controller_informer_events_total',
    'Total number of events processed by informers per GVR and event type',
    ['gvr', 'event_type'],
  );
  const handlerErrors = m.counter(
    'dynamic_controller_handler_errors_total',
    'Total number of errors encountered by handlers per GVR',
    ['gvr'],
  );
  const stateTransitions = m.counter(
    'instance_state_transitions_total',
    'Total number of instance state transitions per GVR',
    ['gvr', 'from_state', 'to_state'],
  );
  const instanceDuration = m.histogram(
    'instance_reconcile_duration_seconds',
    'Duration of instance reconciliation in seconds per GVR',
    kroBuckets,
    ['gvr'],
  );
  const instanceTotal = m.counter(
    'instance_reconcile_total',
    'Total number of instance reconciliations per GVR',
    ['gvr'],
  );
  const instanceErrors = m.counter(
    'instance_reconcile_errors_total',
    'Total number of instance reconciliation errors per GVR',
    ['gvr'],
  );
  gvrCount.set(0);
  queueLength.set(0);
  return {
    reconcileTotal,
    requeueTotal,
    reconcileDuration,
    gvrCount,
    queueLength,
    informerEvents,
    handlerErrors,
    stateTransitions,
    instanceDuration,
    instanceTotal,
    instanceErrors,
  };
}

export type KroMetrics = ReturnType<typeof kroMetrics>;
