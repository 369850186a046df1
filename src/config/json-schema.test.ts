import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../phases/builtin.js';
import { studyJsonSchema } from './json-schema.js';

describe('schema/study.schema.json', () => {
  const generated = studyJsonSchema(builtinRegistry());

  it('is current with the zod schemas (run `npm run schema` after changing a phase option)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../schema/study.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(generated)));
  });

  it('describes every registered phase type with its options', () => {
    const variants = generated.properties.phases.items.oneOf as { title: string }[];
    expect(variants.map((v) => v.title).sort()).toEqual(builtinRegistry().names());
    expect(generated.additionalProperties).toBe(false);
    expect(Object.keys(generated.properties)).toEqual(
      expect.arrayContaining(['name', 'target', 'cluster', 'phases', 'thresholds', 'slo', 'guard', 'output']),
    );
  });
});
