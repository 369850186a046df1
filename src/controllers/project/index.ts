/**
 * The simulated Milo project controller: watches Projects on the root control plane and makes each
 * Ready (finalizer, the project's `default` namespace, Ready=True), as Milo's controller-manager does.
 * Needs an API server that serves Milo's API (the embedded control plane with `milo: true`, or Milo).
 */
import type { ControllerDefinition } from '../runtime/types.js';
import { ProjectController } from './controller.js';
import { ProjectControllerOptions } from './options.js';

export const projectController: ControllerDefinition<ProjectControllerOptions> = {
  name: 'project',
  description:
    "Milo's project controller (finalizer, the project's default namespace, Ready=True; Milo defaults: 1 worker, 2 s requeue, client qps 20 burst 30)",
  options: ProjectControllerOptions,
  async start(o, ctx) {
    const client = await ctx.connect({ qps: o.clientQps, burst: o.clientBurst });
    const controller = new ProjectController(client, o, ctx.metrics, ctx.log);
    try {
      await controller.start();
    } catch (e) {
      await client.close();
      throw new Error(
        `the project controller could not watch projects.resourcemanager.miloapis.com (is this Milo, or an embedded control plane started with --milo?): ${(e as Error).message}`,
      );
    }
    ctx.log.info(`project controller running: ${o.workers} worker(s), requeue ${o.requeueAfterMs} ms`);
    return {
      async stop() {
        await controller.stop();
        await client.close();
      },
    };
  },
};
