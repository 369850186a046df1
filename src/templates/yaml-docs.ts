/**
 * YAML documents of a rendered template, parsed with js-yaml's YAML 1.2 core schema (the same values
 * as the `yaml` package's default: no timestamps, no merge keys, yes/no stay strings). Rendering
 * runs once per object created, so the parser is on the load generator's hot path: for a small
 * ConfigMap js-yaml took 8–10 µs and `yaml`'s parseAllDocuments 92–105 µs (measured here), which made
 * a templated job phase cost 110–130 µs of client CPU per request. The common block subset goes
 * through yaml-fast.ts first, with js-yaml's own scalar types.
 */
import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { parseSimpleYaml } from './yaml-fast.js';

export class YamlSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based line of the rendered text, when known. */
    readonly line?: number,
  ) {
    super(message);
  }
}

export function parseYamlDocuments(text: string): unknown[] {
  const fast = parseSimpleYaml(text);
  if (fast) return fast;
  try {
    return loadAll(text, undefined, { schema: CORE_SCHEMA });
  } catch (e) {
    if (e instanceof YAMLException)
      throw new YamlSyntaxError(e.reason || e.message.split('\n')[0]!, e.mark ? e.mark.line + 1 : undefined);
    throw e;
  }
}

export function parseYamlDocument(text: string): unknown {
  const docs = parseYamlDocuments(text);
  if (docs.length > 1) throw new YamlSyntaxError('expected one YAML document, found several');
  return docs[0];
}
