/**
 * The common start (and end) of a distributed run's workers, with nothing but the API server:
 * each worker creates its own Lease (`kp-<run>-<barrier>-w<I>`, coordination.k8s.io/v1) and watches
 * the Leases of its run and barrier until all N are there.
 *
 * Why Leases, one per worker: arrival is a create of a distinct name, so N workers never contend
 * (a shared ConfigMap counter updated with optimistic concurrency costs O(N²) conflicts when N pods
 * start at once); the Job's status counts pods that started, not workers that are ready to send
 * load, and does not exist for local `--worker` runs. Leases are the API's coordination primitive,
 * the RBAC grant is narrow (leases in one namespace), and the run labels make cleanup find them.
 * The release is a watch event, so workers start within milliseconds of each other; each records
 * its own wall clock at release, which the merge compares to flag clock or start skew.
 */
import { hostname } from 'node:os';
import { RunInvalidError } from '../../core/errors.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { LABEL_RUN_ID, runLabels, selectorFor } from '../../kube/labels.js';
import { describeResponse } from '../../kube/response.js';
import { watch } from '../../kube/watch.js';
import { LABEL_WORKER, type WorkerShare } from '../../load/share.js';

export const LABEL_BARRIER = 'kubeperf.io/barrier';

export const leaseMapping: ResourceMapping = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  kind: 'Lease',
  namespaced: true,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
};

export interface BarrierOptions {
  client: KubeClient;
  namespace: string;
  runId: string;
  /** `start` or `end`. */
  name: string;
  share: WorkerShare;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface BarrierRelease {
  /** This worker's wall clock (epoch ms) when it saw the last worker arrive. */
  releasedAtMs: number;
  waitedMs: number;
}

/** MicroTime as the API writes it: RFC 3339 with microseconds. */
const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export function leaseName(runId: string, barrier: string, index: number): string {
  return `kp-${runId}-${barrier}-w${index}`;
}

export async function arriveAndWait(o: BarrierOptions): Promise<BarrierRelease> {
  const t0 = performance.now();
  const arrived = new Set<number>();
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const note = (l: KubeObject) => {
    const w = Number(l.metadata.labels?.[LABEL_WORKER]);
    if (Number.isInteger(w) && w >= 0 && w < o.share.count) arrived.add(w);
    if (arrived.size >= o.share.count) release();
  };
  // Watch first (listing what is there), then arrive: our own arrival is then never missed.
  const w = await watch(o.client, leaseMapping, {
    namespace: o.namespace,
    labelSelector: selectorFor({ [LABEL_RUN_ID]: o.runId, [LABEL_BARRIER]: o.name }),
    initialEvents: true,
    onEvent: (e) => e.type !== 'DELETED' && note(e.object),
  });
  try {
    const now = Date.now();
    const body = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: leaseName(o.runId, o.name, o.share.index),
        namespace: o.namespace,
        labels: {
          ...runLabels(o.runId, 'barrier', 0),
          [LABEL_BARRIER]: o.name,
          [LABEL_WORKER]: String(o.share.index),
        },
      },
      spec: {
        holderIdentity: `${hostname()}/worker-${o.share.index}`,
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseDurationSeconds: Math.max(1, Math.ceil(o.timeoutMs / 1000)),
      },
    };
    const r = await o.client.create(leaseMapping, o.namespace, JSON.stringify(body), 'barrier');
    // 409: this worker's pod was restarted by the Job and had arrived before; the Lease stands.
    if (!r || (r.status !== 201 && r.status !== 200 && r.status !== 409)) {
      throw new RunInvalidError(
        `barrier ${o.name}: cannot create Lease in namespace ${o.namespace}: ${r ? describeResponse(r) : 'connection failed'}`,
        {
          hint: 'the service account needs create/list/watch on leases in that namespace (kubeperf deploy grants it)',
        },
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), o.timeoutMs);
      o.signal?.addEventListener('abort', () => resolve('timeout'), { once: true });
    });
    const outcome = await Promise.race([released.then(() => 'released' as const), timedOut]);
    clearTimeout(timer);
    if (outcome !== 'released') {
      const missing = [...Array(o.share.count).keys()].filter((i) => !arrived.has(i));
      throw new RunInvalidError(
        `barrier ${o.name}: ${arrived.size} of ${o.share.count} workers arrived within ${Math.round(o.timeoutMs / 1000)} s (missing: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''})`,
        {
          hint: 'start every worker with the same --run-id and --worker I/N; raise --barrier-timeout for slow starts',
        },
      );
    }
    return { releasedAtMs: Date.now(), waitedMs: Math.round(performance.now() - t0) };
  } finally {
    await w.stop();
  }
}
