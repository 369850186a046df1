import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStudyObject } from '../../run/run-study.js';
import { silentLogger } from '../../core/logger.js';
import { celPhase, CelOptions } from './index.js';
import { celPhaseFromFlags } from '../../cli/commands/bench-cel.js';

const root = new URL('../../..', import.meta.url).pathname;

describe('cel phase', () => {
  it('plans without a cluster and counts expressions from an RGD', () => {
    const plan = celPhase.plan(CelOptions.parse({ rgd: 'examples/rgd/webapp.yaml' }), {
      baseDir: root,
      runId: 'x',
    });
    expect(plan.needsCluster).toBe(false);
    expect(plan.steps[0]).toMatch(/measure 17 CEL expression/);
  });

  it('rejects unknown options with their path', () => {
    expect(CelOptions.safeParse({ expresions: ['x'] }).success).toBe(false);
  });

  it('runs as a one-phase study and writes the data block into results.json', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kubeperf-cel-'));
    const outcome = await runStudyObject(
      {
        name: 'bench-cel',
        phases: [{ ...celPhaseFromFlags({ budgetMs: '5' }), expressions: ['spec.replicas + 1', 'nope('] }],
      },
      { source: 'test', out, log: silentLogger, baseDir: root },
    );
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const data = results.phases[0].data as {
      expressions: Record<string, unknown>[];
      byComplexity: Record<string, unknown>;
    };
    expect(outcome.results.phases[0]!.status).toBe('ok');
    const names = data.expressions.map((e) => e.name);
    expect(names).toEqual(['expr-1', 'expr-2']);
    const good = data.expressions[0]!;
    expect(good).toMatchObject({
      expression: 'spec.replicas + 1',
      complexity: 'medium',
      costOrder: 'O(1)',
      resultType: 'int',
    });
    for (const k of ['compileUs', 'evalNs', 'evalNsP95', 'evalsPerSec', 'bytesPerProgram']) {
      expect(good[k] as number).toBeGreaterThan(0);
    }
    expect(data.expressions[1]!.error).toMatch(/Unexpected|Expected|token/i);
    expect(results.phases[0].warnings[0]).toMatch(/^expr-2:/);
    expect(data.byComplexity).toHaveProperty('medium');
  }, 60_000);

  it('measures the reference set with a JS baseline by default', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kubeperf-cel-'));
    const outcome = await runStudyObject(
      { name: 'cel-ref', phases: [{ type: 'cel', budgetMs: 5 }] },
      { source: 'test', out, log: silentLogger, baseDir: root },
    );
    const exprs = (outcome.results.phases[0]!.data as { expressions: Record<string, unknown>[] }).expressions;
    expect(exprs.map((e) => [e.name, e.complexity, e.costOrder])).toEqual([
      ['simple', 'simple', 'O(1)'],
      ['medium', 'medium', 'O(1)'],
      ['complex', 'complex', 'O(1)'],
      ['very-complex', 'very-complex', 'O(n)'],
      ['nested-quantifier', 'very-complex', 'O(n²)'],
    ]);
    expect(exprs.every((e) => (e.baselineNs as number) > 0 && (e.celGoReferenceNs as number) > 0)).toBe(true);
  }, 60_000);
});
