/**
 * Setup time tracks the simulated controller's translation delay: with a delay d, kgateway's setup
 * (one more route → attachedRoutes N+1, from the watch) lands in [d, d + 100 ms] over a 200-route
 * baseline, and so does teardown. The lower bound holds by construction; the upper one says the rest
 * of the path (create, informer, batching window, status write, watch) costs under 100 ms.
 */
import { finish, loadNote, r1, runAttachedRoutes, type GatewayBenchRun } from './lib.js';

const delays = [250, 1000, 3000];
const results: Parameters<typeof finish>[1] = [];
let last: GatewayBenchRun | undefined;
for (const d of delays) {
  const run = (last = await runAttachedRoutes({
    routes: 200,
    backends: false,
    controllerOptions: { translationDelayMs: d },
  }));
  for (const [name, v] of [
    ['setup', run.data.setupMs],
    ['teardown', run.data.teardownMs],
  ] as const) {
    results.push({
      name: `${name}@delay=${d}ms`,
      value: r1(v),
      unit: 'ms',
      target: `${d}–${d + 100} ms`,
      pass: v !== undefined && v >= d && v <= d + 100,
    });
  }
}
finish('gateway/setup-delay', results, loadNote(last!));
