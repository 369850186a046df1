/**
 * Runs one controller in the current process: resolves it by name, validates its options (bad input
 * names the option and what to do), serves its /metrics and starts it. The child process of
 * launch.ts and `kubeperf controller <name>` both host controllers through this.
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { editDistance } from '../../phases/registry.js';
import { controllerNames, controllers } from '../registry.js';
import { connectController } from './client.js';
import { ControllerMetrics } from './metrics.js';
import { startMetricsServer } from './metrics-server.js';
import type { ControllerDefinition } from './types.js';

export interface HostOptions {
  kubeconfig: string;
  context?: string;
  /** Controller options as given (validated against the controller's schema). */
  options?: Record<string, unknown>;
  metricsHost?: string;
  /** 0 = any free port. */
  metricsPort?: number;
  log: Logger;
}

export interface HostedController {
  name: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

export async function controllerDefinition(name: string): Promise<ControllerDefinition> {
  const load = controllers[name];
  if (!load) {
    const names = controllerNames();
    const close = names.find((n) => editDistance(n, name) <= 2);
    throw new InputError(`unknown controller "${name}"`, {
      hint: `${close ? `did you mean "${close}"? ` : ''}controllers: ${names.join(', ')}`,
    });
  }
  return load();
}

/** Validated options of a controller, or an InputError naming each bad option. */
export function parseControllerOptions<O>(def: ControllerDefinition<O>, raw: Record<string, unknown>): O {
  const r = (def.options as z.ZodType<O>).safeParse(raw);
  if (r.success) return r.data;
  const known = knownOptionNames(def);
  const problems = r.error.issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => {
        const near = known.find((n) => editDistance(n.toLowerCase(), k.toLowerCase()) <= 2);
        return `option ${k}: not an option of the ${def.name} controller${near ? ` (did you mean ${near}?)` : ''}`;
      });
    }
    return [`option ${i.path.join('.') || '(options)'}: ${i.message}`];
  });
  throw new InputError(`invalid options for the ${def.name} controller`, {
    problems,
    hint: `options: ${known.join(', ')}`,
  });
}

export function knownOptionNames(def: ControllerDefinition): string[] {
  const shape = (def.options as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

export async function hostController(name: string, o: HostOptions): Promise<HostedController> {
  const def = await controllerDefinition(name);
  const options = parseControllerOptions(def, o.options ?? {});
  const metrics = new ControllerMetrics();
  const server = await startMetricsServer(metrics, o.metricsHost, o.metricsPort ?? 0);
  const kubeconfig = { path: o.kubeconfig, context: o.context };
  let running;
  try {
    running = await def.start(options, {
      name,
      kubeconfig,
      metrics,
      log: o.log,
      connect: (limits) =>
        connectController(kubeconfig, limits, {
          metrics,
          userAgent: `kubeperf-controller/${name}`,
        }),
    });
  } catch (e) {
    await server.close();
    throw e;
  }
  let stopping: Promise<void> | undefined;
  return {
    name,
    metricsUrl: server.url,
    stop: () =>
      (stopping ??= (async () => {
        await running.stop();
        await server.close();
      })()),
  };
}
