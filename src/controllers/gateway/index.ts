/**
 * The simulated Gateway API controller: accepts GatewayClasses with its controllerName, programs their
 * Gateways (Accepted, Programmed, an address, listener conditions and attachedRoutes), and sets each
 * HTTPRoute's status.parents (Accepted, ResolvedRefs) for the parentRefs that name its Gateways, as a
 * real client with the realism knobs of options.ts. What it does and does not do like kgateway or
 * Istio is in docs/gateway.md.
 */
import { ensureGatewayApiCrds } from '../../gateway-api/install.js';
import type { ControllerDefinition } from '../runtime/types.js';
import { GatewayController } from './controller.js';
import { GatewayControllerOptions } from './options.js';

export const gatewayController: ControllerDefinition<GatewayControllerOptions> = {
  name: 'gateway',
  description:
    'Gateway API controller (GatewayClass, Gateway, HTTPRoute, ReferenceGrant): Accepted/Programmed, attachedRoutes, route parent status; knobs: translation delay, batching window, workers, client QPS',
  options: GatewayControllerOptions,
  async start(o, ctx) {
    const client = await ctx.connect({ qps: o.clientQps, burst: o.clientBurst });
    if (o.installCrds) {
      const r = await ensureGatewayApiCrds(client);
      if (r.installed.length) ctx.log.info(`installed CRDs ${r.installed.join(', ')}`);
    }
    const controller = new GatewayController(client, o, ctx.metrics, ctx.log);
    await controller.start();
    ctx.log.info(
      `gateway controller running for ${o.controllerName}: batch window ${o.statusBatchWindowMs} ms, translation ${o.translationDelayMs} ms, ${o.workers} route-status worker(s), client qps ${o.clientQps || '∞'}`,
    );
    return {
      async stop() {
        await controller.stop();
        await client.close();
      },
    };
  },
};
