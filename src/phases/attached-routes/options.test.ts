/**
 * The attached-routes options as kgateway sets them: presets, batch sizes by scale, its scale-aware
 * thresholds and their overrides, the poll equivalents, and options that contradict each other.
 */
import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../../analysis/thresholds.js';
import { attachedRoutesAccess } from './access.js';
import { AttachedRoutesOptions, batchSizeOf, routeCount } from './options.js';
import { pollEquivalent } from './run.js';
import { builtInThresholds, kgatewayLimits } from './thresholds.js';

const parse = (o: Record<string, unknown>) => AttachedRoutesOptions.parse(o);

describe('attached-routes options', () => {
  it('presets and batch sizes follow kgateway (100 per batch, 500 from 5,000 routes on)', () => {
    expect(routeCount(parse({}))).toBe(1000);
    expect(routeCount(parse({ preset: 'baseline' }))).toBe(1000);
    expect(routeCount(parse({ preset: 'production' }))).toBe(5000);
    expect(batchSizeOf(parse({ routes: 4999 }))).toBe(100);
    expect(batchSizeOf(parse({ preset: 'production' }))).toBe(500);
    expect(batchSizeOf(parse({ routes: 800, methodology: 'bulk' }))).toBe(800);
    expect(batchSizeOf(parse({ routes: 800, batchSize: 50 }))).toBe(50);
  });

  it("kgateway's thresholds by baseline size, as phase threshold expressions", () => {
    expect(kgatewayLimits(1000)).toEqual({ setupMs: 30_000, teardownMs: 10_000 });
    expect(kgatewayLimits(1001)).toEqual({ setupMs: 90_000, teardownMs: 20_000 });
    expect(kgatewayLimits(5000)).toEqual({ setupMs: 90_000, teardownMs: 20_000 });
    expect(kgatewayLimits(5001)).toEqual({ setupMs: 120_000, teardownMs: 30_000 });
    const t = builtInThresholds(parse({ routes: 10_000 }), 10_000, 'gw');
    expect(t.map((x) => x.expression)).toEqual(['gw:setup.max < 120s', 'gw:teardown.max < 30s']);
    for (const x of t) expect(parseThreshold(x.expression)).toMatchObject({ scope: 'gw', limit: x.limitMs });
  });

  it('overrides one limit, drops one, or all; bulk has none unless the study sets them', () => {
    const o = parse({ thresholds: { setup: '1m30s', teardown: false } });
    expect(builtInThresholds(o, 1000, 'p')).toMatchObject([
      { op: 'setup', limitMs: 90_000, source: 'study', expression: 'p:setup.max < 90s' },
    ]);
    expect(builtInThresholds(parse({ thresholds: { setup: '250ms' } }), 1000, 'p')[0]!.expression).toBe(
      'p:setup.max < 250ms',
    );
    expect(builtInThresholds(parse({ thresholds: false }), 1000, 'p')).toEqual([]);
    expect(builtInThresholds(parse({ methodology: 'bulk' }), 1000, 'p')).toEqual([]);
    expect(
      builtInThresholds(parse({ methodology: 'bulk', thresholds: { addAll: '20s' } }), 1000, 'p'),
    ).toMatchObject([{ op: 'add-all', expression: 'p:add-all.max < 20s' }]);
  });

  it('reports contradictions with the field to change', () => {
    const issues = (o: Record<string, unknown>) =>
      AttachedRoutesOptions.safeParse(o).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ preset: 'production', routes: 10 })).toEqual([
      'routes: preset production sets routes (5000); give one or the other',
    ]);
    expect(
      issues({ controller: 'simulated', restartController: { namespace: 'a', deployment: 'b' } })?.[0],
    ).toMatch(/^restartController: a Deployment rollout restart is for controller: external/);
    expect(issues({ backends: { create: false } })?.[0]).toMatch(/^backends: backends.create: false needs/);
    expect(issues({ methodology: 'bulk', restartController: true })?.[0]).toMatch(/incremental methodology/);
  });

  it('poll equivalents: the first tick after the watch saw it, counted from the send', () => {
    // create sent at 0, returned at 5, seen at 130: kgateway's 1 s poll starts at 5 and sees it at 1005.
    expect(pollEquivalent(0, 5, 130, 1000)).toBe(1005);
    expect(pollEquivalent(0, 5, 1006, 1000)).toBe(2005);
    // Seen before the request returned: the first tick still comes one interval later.
    expect(pollEquivalent(0, 5, 4, 100)).toBe(105);
  });

  it('declares its API access for kubeperf deploy: the CRDs it may install and the Deployment it may restart', () => {
    const kinds = (o: Record<string, unknown>) => attachedRoutesAccess(parse(o)).map((a) => a.kind);
    expect(kinds({})).toEqual([
      'customresourcedefinitions',
      'gatewayclasses',
      'gateways',
      'httproutes',
      'referencegrants',
      'services',
      'namespaces',
      'services',
      'endpointslices',
      'namespaces',
    ]);
    expect(kinds({ backends: false })).not.toContain('endpointslices');
    const a = attachedRoutesAccess(
      parse({
        controller: 'external',
        restartController: { namespace: 'kgateway-system', deployment: 'kgateway' },
      }),
    );
    expect(a.find((x) => x.kind === 'deployments')).toMatchObject({
      verbs: ['get', 'patch'],
      namespace: 'kgateway-system',
    });
    expect(a.find((x) => x.kind === 'httproutes')?.defines).toMatchObject({
      kind: 'HTTPRoute',
      namespaced: true,
    });
  });
});
