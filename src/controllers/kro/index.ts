/**
 * The simulated kro controller: installs kro's RGD CRD when it is missing, then runs the RGD
 * controller and the dynamic instance controller against any API server, as a real client with
 * kro's throughput shapers (see options.ts) and kro's metric names. What it does and does not do
 * like kro is in docs/kro.md.
 */
import type { ControllerDefinition } from '../runtime/types.js';
import { DynamicController } from './dynamic-controller.js';
import { kroMetrics } from './metrics.js';
import { KroControllerOptions } from './options.js';
import { RgdController } from './rgd-controller.js';
import { rgdCrd, rgdMapping } from './rgd-crd.js';
import { installCrds, waitServed } from '../../kube/crd-install.js';

export const kroController: ControllerDefinition<KroControllerOptions> = {
  name: 'kro',
  description:
    'kro-compatible ResourceGraphDefinition and instance controller (kro defaults: 1 worker, queue 10/s burst 100, client qps 100 burst 150, 3 s requeue)',
  options: KroControllerOptions,
  async start(o, ctx) {
    const client = await ctx.connect({ qps: o.clientQps, burst: o.clientBurst });
    if (o.installCrd) {
      const r = await installCrds(client, [rgdCrd], {
        hint: `create ${rgdCrd.metadata.name} yourself (kro's Helm chart installs it) or use credentials that may create CRDs`,
      });
      if (r.installed.length) ctx.log.info(`installed CRD ${rgdCrd.metadata.name}`);
      await waitServed(client, [rgdMapping], { what: `the CRD ${rgdCrd.metadata.name} exists` });
    }
    const metrics = kroMetrics(ctx.metrics);
    const dynamic = new DynamicController(client, o, ctx.metrics, metrics, ctx.log);
    dynamic.start();
    const rgds = new RgdController(client, dynamic, o, ctx.metrics, ctx.log);
    await rgds.start();
    ctx.log.info(
      `kro controller running: ${o.workers} worker(s), queue ${o.queueQps || '∞'}/s burst ${o.queueBurst}, client qps ${o.clientQps || '∞'} burst ${o.clientBurst}, requeue ${o.requeueAfterMs} ms`,
    );
    return {
      async stop() {
        await rgds.stop();
        await dynamic.stop();
        await client.close();
      },
    };
  },
};
