/**
 * kro's naming and structure rules (pkg/graph/validation.go), with kro's messages. RgdError carries
 * the message kro would put in the RGD's GraphAccepted condition.
 */
export class RgdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RgdError';
  }
}

export const KRO_RESERVED_WORDS: ReadonlySet<string> = new Set([
  'apiVersion', 'context', 'dependency', 'dependencies', 'each', 'externalRef', 'externalReference', 'externalRefs',
  'externalReferences', 'graph', 'graphengine', 'instance', 'item', 'items', 'kind', 'kro', 'metadata', 'namespace',
  'object', 'resource', 'resourcegraphdefinition', 'resourceGraphDefinition', 'resources', 'root', 'runtime', 'schema',
  'self', 'serviceAccountName', 'spec', 'status', 'this', 'variables', 'vars', 'version',
  // CEL reserved symbols
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let',
  'loop', 'package', 'return', 'var', 'void', 'while',
]); // prettier-ignore

export const LOWER_CAMEL = /^[a-z][a-zA-Z0-9]*$/;
export const UPPER_CAMEL = /^[A-Z][a-zA-Z0-9]*$/;
export const K8S_VERSION = /^v\d+(?:(?:alpha|beta)\d+)?$/;
export const MAX_FOREACH_DIMENSIONS = 10;
export const NAMING = 'failed to validate resourcegraphdefinition: naming convention violation';

/** Built-in cluster-scoped kinds (the offline stand-in for REST mapping). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'VolumeAttachment',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'ResourceGraphDefinition',
]); // prettier-ignore

/** flect-like pluralisation of a lowercased kind (enough for CRD names). */
export function pluralize(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

export const isMap = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

export function validateForEach(id: string, forEach: unknown, ids: Set<string>): void {
  if (forEach === undefined || forEach === null) return;
  if (!Array.isArray(forEach)) throw new RgdError(`resource "${id}": forEach must be a list`);
  if (forEach.length > MAX_FOREACH_DIMENSIONS) {
    throw new RgdError(
      `resource "${id}": forEach cannot have more than ${MAX_FOREACH_DIMENSIONS} dimensions, got ${forEach.length}`,
    );
  }
  const seen = new Set<string>();
  for (const dim of forEach) {
    if (!isMap(dim) || Object.keys(dim).length !== 1)
      throw new RgdError(`resource "${id}": each forEach entry must be a single-key map`);
    const iter = Object.keys(dim)[0]!;
    if (!LOWER_CAMEL.test(iter))
      throw new RgdError(
        `resource "${id}": forEach iterator name "${iter}" is not valid: must be lowerCamelCase`,
      );
    if (KRO_RESERVED_WORDS.has(iter))
      throw new RgdError(`resource "${id}": forEach iterator name "${iter}" is a reserved keyword`);
    if (ids.has(iter))
      throw new RgdError(`resource "${id}": forEach iterator name "${iter}" conflicts with resource ID`);
    if (seen.has(iter)) throw new RgdError(`resource "${id}": duplicate forEach iterator name "${iter}"`);
    seen.add(iter);
  }
}

export function validateObjectStructure(obj: Record<string, unknown>): void {
  if (!('apiVersion' in obj)) throw new Error('apiVersion field not found');
  if (typeof obj.apiVersion !== 'string') throw new Error('apiVersion field is not a string');
  if (!('kind' in obj)) throw new Error('kind field not found');
  if (typeof obj.kind !== 'string') throw new Error('kind field is not a string');
  if (!('metadata' in obj)) throw new Error('metadata field not found');
  if (!isMap(obj.metadata)) throw new Error('metadata field is not a map');
}

export function validateTemplateConstraints(
  id: string,
  obj: Record<string, unknown>,
  instanceNamespaced: boolean,
): void {
  const meta = obj.metadata as Record<string, unknown>;
  const namespaced = !CLUSTER_SCOPED_KINDS.has(String(obj.kind));
  if (!namespaced && meta.namespace !== undefined) {
    throw new RgdError(`resource "${id}" is cluster-scoped and must not set metadata.namespace`);
  }
  if (
    namespaced &&
    !instanceNamespaced &&
    (typeof meta.namespace !== 'string' || meta.namespace.trim() === '')
  ) {
    throw new RgdError(
      `resource "${id}" is namespaced and must set metadata.namespace when the instance CRD is cluster-scoped`,
    );
  }
  for (const what of ['labels', 'annotations'] as const) {
    const m = meta[what];
    if (!isMap(m)) continue;
    for (const key of Object.keys(m)) {
      for (const prefix of ['kro.run/', 'internal.kro.run/']) {
        if (key.startsWith(prefix)) {
          const noun = what === 'labels' ? 'label' : 'annotation';
          throw new RgdError(
            `invalid ${noun} for resource "${id}". ${what} with prefix "${prefix}" are reserved for internal use`,
          );
        }
      }
    }
  }
}
