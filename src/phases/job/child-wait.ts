/**
 * kube-burner's `waitOptions.kind`: wait for other objects than the ones created (the Pods of a
 * Deployment, say), selected by `waitOptions.labelSelector` and the job's run labels, which pod
 * templates carry. A wait only: the latencies are podLatency's job (latency.ts).
 */
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { readinessFor } from '../../kube/readiness.js';
import { sleep } from '../../load/sleep.js';
import type { JobOptions } from './options.js';

/** Waits for every child kind named by the job's waitOptions; returns warnings for what never got ready. */
export async function waitForChildren(
  client: KubeClient,
  o: JobOptions,
  runSelector: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<string[]> {
  const warnings: string[] = [];
  const deadline = performance.now() + timeoutMs;
  for (const spec of o.objects) {
    const w = spec.waitOptions;
    if (!spec.wait || !w?.kind) continue;
    const m = await client.mapper.resolve(w.apiVersion!, w.kind);
    const selector = [
      ...Object.entries(w.labelSelector ?? {}).map(([k, v]) => `${k}=${v}`),
      runSelector,
    ].join(',');
    const ready = readinessFor(m.kind, w);
    let notReady = 0;
    let total = 0;
    for (;;) {
      const { items } = await client.listAll<KubeObject>(m, undefined, { labelSelector: selector });
      total = items.length;
      notReady = items.filter((x) => !ready(x)).length;
      if ((total > 0 && notReady === 0) || signal.aborted || performance.now() > deadline) break;
      await sleep(250, signal).catch(() => {});
    }
    if (total === 0) warnings.push(`waitOptions: no ${m.resource} matched ${selector}`);
    else if (notReady)
      warnings.push(`waitOptions: ${notReady} of ${total} ${m.resource} were not ready in time`);
  }
  return warnings;
}
