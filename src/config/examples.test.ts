import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../phases/builtin.js';
import { yamlFiles } from '../rgd/yardstick.js';
import { buildPlan, formatPlan } from './plan.js';
import { loadStudyFile } from './load.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Study files are the YAML files with a top-level `phases:`; the rest are templates and RGDs. */
const studies = [...yamlFiles(join(root, 'examples')), ...yamlFiles(join(root, 'studies'))].filter((f) => {
  try {
    const doc = parse(readFileSync(f, 'utf8'));
    return doc && typeof doc === 'object' && 'phases' in doc;
  } catch {
    return true; // a broken example must fail below, not be skipped
  }
});

describe('examples and built-in studies pass --dry-run', () => {
  it('there are examples to check', () => {
    expect(studies.length).toBeGreaterThan(1);
    expect(studies.some((f) => f.endsWith(join('studies', 'default.yaml')))).toBe(true);
  });

  for (const file of studies) {
    it(relative(root, file), () => {
      const loaded = loadStudyFile(file, { registry: builtinRegistry() });
      const plan = buildPlan(loaded, { runId: 'dry-run' });
      expect(plan.phases.length).toBeGreaterThan(0);
      expect(formatPlan(plan)).toContain(loaded.study.name);
    });
  }
});
