import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { COMPLEXITIES } from '../cel/complexity.js';
import { CelEngine } from '../cel/engine.js';
import { generateEdges, generateRgd, SHAPES } from './generate.js';
import { inspectDocument } from './inspect.js';

describe('rgd generate', () => {
  it('is deterministic per seed', () => {
    const a = stringify(generateRgd({ resources: 12, shape: 'random', seed: 7 }));
    expect(stringify(generateRgd({ resources: 12, shape: 'random', seed: 7 }))).toBe(a);
    expect(stringify(generateRgd({ resources: 12, shape: 'random', seed: 8 }))).not.toBe(a);
  });

  it('builds the requested shapes', () => {
    expect(generateEdges(4, 'chain', 2, 1)).toEqual([[], [0], [1], [2]]);
    expect(generateEdges(5, 'tree', 2, 1)).toEqual([[], [0], [0], [1], [1]]);
    const random = generateEdges(1000, 'random', 2, 1);
    expect(random.reduce((s, d) => s + d.length, 0)).toBe(2 * 1000 - 3);
  });

  it('round-trips generate → YAML → inspect over 200 seeds of every shape and complexity', () => {
    const engine = new CelEngine();
    let checked = 0;
    const failures: string[] = [];
    for (const shape of SHAPES) {
      for (const complexity of COMPLEXITIES) {
        for (let seed = 1; seed <= 200; seed++) {
          const resources = 1 + (seed % 5);
          const yaml = stringify(generateRgd({ resources, shape, complexity, seed, deps: 1 + (seed % 3) }));
          const report = inspectDocument(parse(yaml), { measure: false, engine });
          checked++;
          if (!report.valid)
            failures.push(`${shape}/${complexity}/seed ${seed}: ${report.errors.join('; ')}`);
          else if (report.expressions.some((e) => e.pending && e.kind !== 'status')) {
            failures.push(
              `${shape}/${complexity}/seed ${seed}: ${report.expressions.find((e) => e.pending)!.pending}`,
            );
          } else if (
            report.expressions.some(
              (e) =>
                e.kind === 'template' && e.complexity !== complexity && e.path.includes('kubeperf.io/expr'),
            )
          ) {
            failures.push(`${shape}/${complexity}/seed ${seed}: expression class mismatch`);
          }
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(checked).toBe(3200);
  });
});
