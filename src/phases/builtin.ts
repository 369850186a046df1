/**
 * Every built-in phase type, listed once. Add a new type here (one import, one register call).
 */
import { PhaseRegistry } from './registry.js';
import { pausePhase } from './pause/index.js';
import { crudPhase } from './crud/index.js';
import { jobPhase } from './job/index.js';
import { celPhase } from './cel/index.js';
import { graphPhase } from './graph/index.js';
import { kroPhase } from './kro/index.js';
import { miloPhase } from './milo/index.js';
import { attachedRoutesPhase } from './attached-routes/index.js';
import { simulateBackendsPhase } from './simulate-backends/index.js';

export function builtinRegistry(): PhaseRegistry {
  return new PhaseRegistry()
    .register(pausePhase)
    .register(crudPhase)
    .register(jobPhase)
    .register(celPhase)
    .register(graphPhase)
    .register(kroPhase)
    .register(miloPhase)
    .register(simulateBackendsPhase)
    .register(attachedRoutesPhase);
}
