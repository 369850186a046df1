import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { builtinRegistry } from '../phases/builtin.js';
import { loadStudyFile, loadStudyObject, loadStudyText } from './load.js';

const registry = builtinRegistry();
const dir = mkdtempSync(join(tmpdir(), 'kubeperf-config-'));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).exitCode).toBe(2);
    return (e as InputError).problems;
  }
  throw new Error('expected an InputError');
}

describe('loadStudyFile', () => {
  it('loads a valid study, applies defaults and names repeated phases uniquely', () => {
    const f = write(
      'ok.yaml',
      'name: s1\nphases:\n  - type: pause\n    duration: 10ms\n  - type: pause\n    duration: 1s\n    tags: [a]\n',
    );
    const loaded = loadStudyFile(f, { registry });
    expect(loaded.study.name).toBe('s1');
    expect(loaded.study.thresholds).toEqual([]);
    expect(loaded.study.guard.maxErrorRate).toBe(0.05);
    expect(loaded.phases.map((p) => p.name)).toEqual(['pause', 'pause-2']);
    expect(loaded.phases[1]!.tags).toEqual(['a']);
    expect(loaded.baseDir).toBe(dir);
  });

  it('reports an unknown field with FILE:LINE:COL, its path and a suggestion', () => {
    const f = write(
      'unknown.yaml',
      'name: s\nthreshold:\n  - x\nphases:\n  - type: pause\n    duration: 1s\n',
    );
    const problems = problemsOf(() => loadStudyFile(f, { registry }));
    expect(problems).toEqual([`${f}:2:1: threshold: unknown field "threshold" (did you mean "thresholds"?)`]);
  });

  it('reports a wrong type at the value, with the field path', () => {
    const f = write('type.yaml', 'name: s\nslo: yes please\nphases:\n  - type: pause\n    duration: 1s\n');
    const problems = problemsOf(() => loadStudyFile(f, { registry }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${f}:2:6: slo: .*boolean`));
  });

  it('reports invalid YAML with its position', () => {
    const f = write('bad.yaml', 'name: s\nphases:\n  - type: pause\n   duration: [1s\n');
    const problems = problemsOf(() => loadStudyFile(f, { registry }));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(new RegExp(`^${f}:\\d+:\\d+: `));
  });

  it('rejects an unknown phase type with "did you mean"', () => {
    const f = write('phase.yaml', 'phases:\n  - type: pasue\n    duration: 1s\n');
    const problems = problemsOf(() => loadStudyFile(f, { registry }));
    expect(problems[0]).toMatch(
      new RegExp(
        `^${f}:2:11: phases\\[0\\]\\.type: unknown phase type "pasue" \\(did you mean "pause"\\?\\)`,
      ),
    );
  });

  it("validates a phase's own options with their path, and reports every problem at once", () => {
    const f = write(
      'many.yaml',
      'name: ""\nphases:\n  - type: pause\n    durations: 1s\n  - type: pause\n    duration: soon\n',
    );
    const problems = problemsOf(() => loadStudyFile(f, { registry }));
    expect(problems).toHaveLength(4);
    expect(problems.some((p) => p.startsWith(`${f}:1:7: name:`))).toBe(true);
    expect(problems).toContain(
      `${f}:4:5: phases[0].durations: unknown field "durations" (did you mean "duration"?)`,
    );
    expect(problems.some((p) => p.startsWith(`${f}:3:5: phases[0].duration:`))).toBe(true);
    expect(problems.some((p) => p.startsWith(`${f}:6:15: phases[1].duration: must be a duration`))).toBe(
      true,
    );
  });

  it('applies --set overrides and blames the flag for a bad value', () => {
    const f = write('set.yaml', 'name: s\nphases:\n  - type: pause\n    duration: 1s\n');
    const loaded = loadStudyFile(f, { registry, set: ['phases[0].duration=5ms', 'name=other'] });
    expect((loaded.phases[0]!.options as { duration: string }).duration).toBe('5ms');
    expect(loaded.study.name).toBe('other');
    const problems = problemsOf(() => loadStudyFile(f, { registry, set: ['phases.0.duration=later'] }));
    expect(problems[0]).toMatch(
      /^--set phases\.0\.duration=later: phases\[0\]\.duration: must be a duration/,
    );
  });

  it('expands ${ENV}, types whole-value references, and leaves CEL ${a.b} alone', () => {
    const text =
      'name: ${STUDY:-fallback}\nslo: ${SLO}\ndescription: "uses ${schema.spec.name}"\nphases:\n  - type: pause\n    duration: ${D}\n';
    const loaded = loadStudyText(text, 'env.yaml', dir, { registry, env: { SLO: 'true', D: '20ms' } });
    expect(loaded.study.name).toBe('fallback');
    expect(loaded.study.slo).toBe(true);
    expect(loaded.study.description).toBe('uses ${schema.spec.name}');
    expect(loaded.configForResults).toMatchObject({ name: '${STUDY:-fallback}' });
    const problems = problemsOf(() =>
      loadStudyText(text, 'env.yaml', dir, { registry, env: { SLO: 'true' } }),
    );
    expect(problems).toEqual([
      'env.yaml:6:15: environment variable D is not set (use ${D:-default} for a default)',
    ]);
  });

  it('redacts secrets in the config kept for results', () => {
    const loaded = loadStudyText(
      'name: s\ndescription: x\nphases:\n  - type: pause\n    duration: 1s\n',
      'r.yaml',
      dir,
      {
        registry,
      },
    );
    expect(loaded.configForResults).toMatchObject({ name: 's' });
    const obj = loadStudyObject({ phases: [{ type: 'pause', duration: '1ms' }] }, 'kubeperf bench x', dir, {
      registry,
    });
    expect(obj.phases[0]!.name).toBe('pause');
  });

  it('names a missing file clearly', () => {
    expect(() => loadStudyFile(join(dir, 'nope.yaml'), { registry })).toThrow(/study file not found/);
  });
});

describe('cross-capability checks at load time', () => {
  it('reports a malformed threshold and a bad cluster option with positions', () => {
    const f = write(
      'ext.yaml',
      'cluster:\n  nodes: many\nthresholds:\n  - create.p99 < 500ms\n  - create.p99 <<< fast\nphases:\n  - type: pause\n    duration: 1s\n',
    );
    const problems = problemsOf(() => loadStudyFile(f, { registry }));
    expect(problems.some((p) => p.startsWith(`${f}:2:10: cluster.nodes:`))).toBe(true);
    expect(problems.some((p) => p.startsWith(`${f}:5:5: thresholds[1]:`))).toBe(true);
    expect(problems).toHaveLength(2);
  });
});
