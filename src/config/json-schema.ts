/**
 * The JSON Schema of study files (schema/study.schema.json), generated from the same zod schemas the
 * loader validates with, so editors complete exactly what kubeperf accepts. Phase entries are a oneOf
 * over the registered phase types, discriminated by `type`.
 */
import { z } from 'zod';
import type { PhaseRegistry } from '../phases/registry.js';
import { PhaseEntrySchema, StudySchema } from './schema.js';

type JsonSchema = Record<string, any>;

const opts = { io: 'input', unrepresentable: 'any', target: 'draft-7' } as const;

export function studyJsonSchema(registry: PhaseRegistry): JsonSchema {
  const study = z.toJSONSchema(StudySchema, opts) as JsonSchema;
  const common = (z.toJSONSchema(PhaseEntrySchema, opts) as JsonSchema).properties as Record<
    string,
    JsonSchema
  >;
  const variants = registry.names().map((name) => {
    const t = registry.get(name)!;
    const own = z.toJSONSchema(t.options, opts) as JsonSchema;
    delete own.$schema;
    const head = { ...common, type: { const: name, description: t.description } };
    if (own.type === 'object' && own.properties) {
      return {
        ...own,
        title: name,
        description: t.description,
        properties: { ...head, ...own.properties },
        required: ['type', ...(own.required ?? [])],
      };
    }
    delete own.additionalProperties;
    return {
      title: name,
      description: t.description,
      allOf: [{ type: 'object', properties: head, required: ['type'] }, own],
    };
  });
  study.properties.phases.items = { oneOf: variants };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://kubeperf.io/schema/study.schema.json',
    title: 'kubeperf study',
    ...study,
  };
}
