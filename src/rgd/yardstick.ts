/**
 * kro's examples as the yardstick for `rgd inspect`: every RGD kro accepts must be valid here, with no
 * expression left unchecked and no evaluation error other than data kro would wait for (status not
 * yet written). Used by yardstick.test.ts (the project's fixtures) and scripts/kro-yardstick.ts
 * (kro's originals, wherever they are checked out).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspectDocument } from './inspect.js';
import { readYamlDocuments } from './load.js';

export function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(name) ? [p] : [];
  });
}

/** Inspects every full RGD (kind + spec.schema) in a file; returns one line per problem. */
export function rgdProblems(file: string): string[] {
  const out: string[] = [];
  for (const doc of readYamlDocuments(file)) {
    const v = doc.value as { kind?: string; spec?: { schema?: unknown } };
    if (v?.kind !== 'ResourceGraphDefinition' || !v.spec?.schema) continue;
    const r = inspectDocument(v, { file, measure: false, documentWarnings: doc.warnings });
    out.push(...r.errors.map((e) => `${file}: invalid: ${e}`));
    out.push(...r.unchecked.map((u) => `${file}: unchecked ${u.resource}.${u.path}: ${u.reason}`));
    for (const e of r.expressions) {
      if (e.pending && !/no such key/i.test(e.pending))
        out.push(`${file}: ${e.resource}.${e.path}: ${e.pending}`);
    }
  }
  return out;
}
