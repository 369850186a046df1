/**
 * kgateway's scale-aware thresholds (validateIncrementalPerformanceThresholds in its attached-routes
 * suite), chosen by the number of baseline routes and compared with `<` as kgateway does:
 *
 *   ≤ 1,000 routes: setup < 30 s, teardown < 10 s
 *   ≤ 5,000 routes: setup < 90 s, teardown < 20 s
 *   more:           setup < 2 min, teardown < 30 s
 *
 * They become phase thresholds on the single-sample ops `setup` and `teardown`
 * (`<phase>:setup.max < 30s`), so a miss fails the run (exit 3) and the JUnit case names it. Study
 * options override each limit or drop it; gateway-api-bench has no thresholds, so bulk runs get
 * only the ones the study sets (addAll, removeAll).
 */
import { ms, type AttachedRoutesOptions } from './options.js';

export interface BuiltInThreshold {
  /** The op it limits. */
  op: 'setup' | 'teardown' | 'add-all' | 'remove-all';
  limitMs: number;
  /** kgateway: its built-in scale-aware value; study: set in the phase options. */
  source: 'kgateway' | 'study';
  expression: string;
}

export function kgatewayLimits(routes: number): { setupMs: number; teardownMs: number } {
  if (routes <= 1000) return { setupMs: 30_000, teardownMs: 10_000 };
  if (routes <= 5000) return { setupMs: 90_000, teardownMs: 20_000 };
  return { setupMs: 120_000, teardownMs: 30_000 };
}

/** A limit the threshold parser reads back exactly: whole seconds as "90s", anything else in ms. */
const limitText = (limitMs: number): string =>
  limitMs % 1000 === 0 ? `${limitMs / 1000}s` : `${Number(limitMs.toPrecision(12))}ms`;

export function builtInThresholds(
  o: AttachedRoutesOptions,
  routes: number,
  phaseName: string,
): BuiltInThreshold[] {
  if (o.thresholds === false) return [];
  const over = o.thresholds ?? {};
  const k = kgatewayLimits(routes);
  const out: BuiltInThreshold[] = [];
  const add = (op: BuiltInThreshold['op'], given: string | number | false | undefined, builtIn?: number) => {
    if (given === false || (given === undefined && builtIn === undefined)) return;
    const limitMs = given === undefined ? builtIn! : ms(given);
    out.push({
      op,
      limitMs,
      source: given === undefined ? 'kgateway' : 'study',
      expression: `${phaseName}:${op}.max < ${limitText(limitMs)}`,
    });
  };
  if (o.methodology === 'incremental') {
    add('setup', over.setup, k.setupMs);
    add('teardown', over.teardown, k.teardownMs);
  } else {
    add('add-all', over.addAll);
    add('remove-all', over.removeAll);
  }
  return out;
}
