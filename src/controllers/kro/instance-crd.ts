/**
 * The CRD kro generates for an RGD's instances (pkg/graph/crd): `<plural>.<group>`, one served and
 * stored version with the status subresource, spec from SimpleSchema, status with kro's `state` and
 * `conditions` plus the fields the status expressions project (typed from their CEL result type,
 * schemaless when dyn), kro's default printer columns (State, Ready, Age) unless the RGD sets its
 * own, and kro's ownership labels.
 */
import type { OpenApiSchema } from '../../rgd/simpleschema.js';
import type { CompiledRgd } from '../../rgd/types.js';
import { pathSegments } from '../../rgd/extract.js';
import { pluralize } from '../../rgd/validate.js';
import { KRO_VERSION, LABEL_KRO_VERSION, LABEL_OWNED, LABEL_RGD_ID, LABEL_RGD_NAME } from './constants.js';

export const defaultPrinterColumns = [
  {
    description: 'The state of a ResourceGraphDefinition instance',
    jsonPath: '.status.state',
    name: 'State',
    type: 'string',
  },
  {
    description: 'Whether a ResourceGraphDefinition instance is ready',
    jsonPath: '.status.conditions[?(@.type=="Ready")].status',
    name: 'Ready',
    type: 'string',
  },
  { description: 'Age of the resource', jsonPath: '.metadata.creationTimestamp', name: 'Age', type: 'date' },
];

const conditionsSchema: OpenApiSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      lastTransitionTime: { type: 'string' },
      message: { type: 'string' },
      observedGeneration: { type: 'integer' },
      reason: { type: 'string' },
      status: { type: 'string' },
      type: { type: 'string' },
    },
  },
};

/** OpenAPI for a CEL result type (cel-js type names); anything not plainly typed is schemaless. */
function schemaOfCelType(t: string): OpenApiSchema {
  switch (t) {
    case 'string':
      return { type: 'string' };
    case 'int':
    case 'uint':
      return { type: 'integer' };
    case 'double':
      return { type: 'number' };
    case 'bool':
      return { type: 'boolean' };
    default:
      if (t.startsWith('list<string>')) return { type: 'array', items: { type: 'string' } };
      return { 'x-kubernetes-preserve-unknown-fields': true } as OpenApiSchema;
  }
}

/** status: kro's state and conditions, then every projected field at its path. */
export function statusSchema(rgd: CompiledRgd): OpenApiSchema {
  const root: OpenApiSchema = {
    type: 'object',
    properties: { conditions: conditionsSchema, state: { type: 'string' } },
  };
  for (const e of rgd.status) {
    const segs = pathSegments(e.path).slice(1); // drop the leading "status"
    let node = root;
    segs.forEach((seg, i) => {
      const key = String(seg);
      node.properties ??= {};
      if (i === segs.length - 1) {
        node.properties[key] = e.standalone ? schemaOfCelType(e.program.type) : { type: 'string' };
      } else {
        node.properties[key] ??= { type: 'object', properties: {} };
        node = node.properties[key]!;
      }
    });
  }
  return root;
}

export interface RgdSource {
  name: string;
  uid: string;
  /** spec.schema of the RGD document (for printer columns, short names, categories, metadata). */
  schema: Record<string, unknown>;
}

export function instanceCrd(rgd: CompiledRgd, src: RgdSource): Record<string, unknown> {
  const kind = rgd.schema.kind;
  const plural = pluralize(kind.toLowerCase());
  const extraMeta = (src.schema.metadata ?? {}) as {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  const columns = Array.isArray(src.schema.additionalPrinterColumns)
    ? src.schema.additionalPrinterColumns
    : defaultPrinterColumns;
  const names: Record<string, unknown> = {
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
  };
  if (Array.isArray(src.schema.shortNames)) names.shortNames = src.schema.shortNames;
  if (Array.isArray(src.schema.categories)) names.categories = src.schema.categories;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: rgd.schema.crdName,
      labels: {
        ...(extraMeta.labels ?? {}),
        [LABEL_OWNED]: 'true',
        [LABEL_KRO_VERSION]: KRO_VERSION,
        [LABEL_RGD_ID]: src.uid,
        [LABEL_RGD_NAME]: src.name,
      },
      ...(extraMeta.annotations ? { annotations: extraMeta.annotations } : {}),
    },
    spec: {
      group: rgd.schema.group,
      names,
      scope: rgd.schema.scope,
      versions: [
        {
          name: rgd.schema.apiVersion,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: columns,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: rgd.schema.spec,
                status: statusSchema(rgd),
              },
            },
          },
        },
      ],
    },
  };
}
