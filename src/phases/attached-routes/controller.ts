/**
 * Who does the work: kubeperf's simulated gateway controller (launched in its own process, its CPU
 * and memory registered with the embedded control plane, restarted as a process) or the target's own
 * controller (restarted by a rollout restart of the Deployment the study names, as `kubectl rollout
 * restart` does: the pod template's kubectl.kubernetes.io/restartedAt annotation, the one change
 * kubeperf makes to an object it did not create, and only when the study asks for it).
 */
import { KubeperfError } from '../../core/errors.js';
import { GatewayControllerOptions } from '../../controllers/gateway/options.js';
import { launchController, type ControllerProcess } from '../../controllers/runtime/launch.js';
import { deploymentMapping } from '../../gateway-api/resources.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { describeResponse } from '../../kube/response.js';
import { sleep } from '../../load/sleep.js';
import type { PhaseContext } from '../types.js';

export interface ControllerHandle {
  mode: 'simulated' | 'external';
  description: string;
  /** Settings of the simulated controller. */
  settings?: GatewayControllerOptions;
  /** Its /metrics (URL or API server proxy path), when known. */
  metricsUrl?: string;
  /** Why the measurement cannot be trusted because the controller went away, if it did. */
  gone(): string | undefined;
  /** Restarts it and resolves when it is running again. */
  restart(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export function describeSettings(s: GatewayControllerOptions): string {
  return `simulated gateway controller (batch window ${s.statusBatchWindowMs} ms, translation ${s.translationDelayMs} ms, ${s.workers} route-status worker${s.workers === 1 ? '' : 's'}, client qps ${s.clientQps || '∞'})`;
}

export async function simulatedController(
  ctx: PhaseContext,
  options: Partial<GatewayControllerOptions>,
  pod: string,
): Promise<ControllerHandle> {
  const settings = GatewayControllerOptions.parse(options);
  const launch = async () => {
    const p = await launchController('gateway', {
      kubeconfig: ctx.target.kubeconfigPath!,
      context: ctx.target.context,
      options: { ...options, installCrds: false },
    });
    await ctx.observe
      ?.registerProcess?.({ pid: p.pid, namespace: 'kubeperf-system', pod, container: 'gateway-controller' })
      .catch((e: unknown) => ctx.log.debug(`registerProcess: ${(e as Error).message}`));
    await ctx.observe
      ?.addScrapeTarget?.({ url: p.metricsUrl, job: 'gateway-controller' })
      .catch((e: unknown) => ctx.log.debug(`addScrapeTarget: ${(e as Error).message}`));
    return p;
  };
  let proc: ControllerProcess = await launch();
  let restarting = false;
  return {
    mode: 'simulated',
    description: describeSettings(settings),
    settings,
    get metricsUrl() {
      return proc.metricsUrl;
    },
    gone: () =>
      !restarting && proc.exit
        ? `the simulated gateway controller exited during the phase (code ${proc.exit.code}, signal ${proc.exit.signal})`
        : undefined,
    async restart() {
      restarting = true;
      try {
        await proc.stop();
        proc = await launch();
      } finally {
        restarting = false;
      }
    },
    stop: () => proc.stop(),
  };
}

/** kubectl rollout status: the new template is everywhere and available. */
function rolledOut(d: KubeObject, generation: number): boolean {
  const spec = d.spec as { replicas?: number } | undefined;
  const st = d.status as
    | { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number }
    | undefined;
  const want = spec?.replicas ?? 1;
  return (
    (st?.observedGeneration ?? 0) >= generation &&
    (st?.updatedReplicas ?? 0) >= want &&
    (st?.replicas ?? 0) === (st?.updatedReplicas ?? 0) &&
    (st?.availableReplicas ?? 0) >= (st?.updatedReplicas ?? 0)
  );
}

export function externalController(
  client: KubeClient,
  o: { metricsUrl?: string; deployment?: { namespace: string; deployment: string } },
): ControllerHandle {
  return {
    mode: 'external',
    description: "the target's own Gateway API controller",
    metricsUrl: o.metricsUrl,
    gone: () => undefined,
    async restart(timeoutMs) {
      const dep = o.deployment;
      if (!dep) throw new KubeperfError('restartController needs the Deployment of an external controller');
      const patch = {
        spec: {
          template: {
            metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } },
          },
        },
      };
      const r = await client.patch(
        deploymentMapping,
        dep.namespace,
        dep.deployment,
        JSON.stringify(patch),
        'strategic',
        'controller-restart-patch',
      );
      if (!r || r.status !== 200)
        throw new KubeperfError(
          `rollout restart of Deployment ${dep.namespace}/${dep.deployment}: ${r ? describeResponse(r) : 'connection failed'}`,
          { hint: 'restartController names the Deployment of the controller; check its namespace and name' },
        );
      const generation = (JSON.parse(r.body) as KubeObject).metadata.generation ?? 0;
      const end = performance.now() + timeoutMs;
      for (;;) {
        const g = await client.get(
          deploymentMapping,
          dep.namespace,
          dep.deployment,
          'controller-restart-status',
        );
        if (g?.status === 200 && rolledOut(JSON.parse(g.body) as KubeObject, generation)) return;
        if (performance.now() > end)
          throw new KubeperfError(
            `Deployment ${dep.namespace}/${dep.deployment} did not finish its rollout within ${timeoutMs / 1000} s`,
          );
        await sleep(250);
      }
    },
    stop: async () => {},
  };
}
