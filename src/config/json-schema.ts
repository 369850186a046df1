/**
 * The JSON Schema of study files (schema/study.schema.json), generated from the same zod schemas the
 * loader validates with, so editors complete exactly what kubeperf accepts. Phase entries are a oneOf
 * over the registered phase types, discriminated by `type`.
 */
import { z } from 'zod';
import { builtinMeasurements } from '../measurements/builtin.js';
import type { MeasurementRegistry } from '../measurements/registry.js';
import type { PhaseRegistry } from '../phases/registry.js';
import { MeasurementEntrySchema, PhaseEntrySchema, StudySchema } from './schema.js';

type JsonSchema = Record<string, any>;

const opts = { io: 'input', unrepresentable: 'any', target: 'draft-7' } as const;

/** A oneOf over registered types: the entry's common keys plus each type's own options. */
function variantsOf(
  names: string[],
  get: (name: string) => { description: string; options: z.ZodType },
  entry: z.ZodType,
): JsonSchema[] {
  const common = (z.toJSONSchema(entry, opts) as JsonSchema).properties as Record<string, JsonSchema>;
  return names.map((name) => {
    const t = get(name);
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
}

export function studyJsonSchema(
  registry: PhaseRegistry,
  measurements: MeasurementRegistry = builtinMeasurements(),
): JsonSchema {
  const study = z.toJSONSchema(StudySchema, opts) as JsonSchema;
  study.properties.phases.items = {
    oneOf: variantsOf(registry.names(), (n) => registry.get(n)!, PhaseEntrySchema),
  };
  study.properties.measurements.items = {
    oneOf: variantsOf(measurements.names(), (n) => measurements.get(n)!, MeasurementEntrySchema),
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://kubeperf.io/schema/study.schema.json',
    title: 'kubeperf study',
    ...study,
  };
}
