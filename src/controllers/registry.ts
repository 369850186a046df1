/**
 * Every simulated controller, by name, loaded on demand. A new controller adds one line here (and
 * lives in src/controllers/<name>/); `kubeperf controller <name>` and studies find it by this name.
 */
import type { ControllerDefinition } from './runtime/types.js';

export const controllers: Record<string, () => Promise<ControllerDefinition>> = {
  kro: async () => (await import('./kro/index.js')).kroController,
  gateway: async () => (await import('./gateway/index.js')).gatewayController,
  project: async () => (await import('./project/index.js')).projectController,
};

export function controllerNames(): string[] {
  return Object.keys(controllers).sort();
}
