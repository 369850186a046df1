/**
 * Milo's two cluster-scoped kinds of `resourcemanager.miloapis.com/v1alpha1`, as the CRDs Milo
 * installs into its API server: Organization (spec.type required, Personal|Standard, immutable by a
 * CEL rule) and Project (spec.ownerRef {kind: Organization, name} required), both with the status
 * subresource and a `Ready` condition list defaulted to Unknown.
 */
export const MILO_GROUP = 'resourcemanager.miloapis.com';
export const MILO_VERSION = 'v1alpha1';
export const MILO_API_VERSION = `${MILO_GROUP}/${MILO_VERSION}`;
/** The label Milo's project webhook sets to the organization a project was created through. */
export const ORGANIZATION_NAME_LABEL = `${MILO_GROUP}/organization-name`;

type Obj = Record<string, unknown>;

/** metav1.Condition as controller-gen writes it for `[]metav1.Condition`. */
const condition: Obj = {
  type: 'object',
  required: ['lastTransitionTime', 'message', 'reason', 'status', 'type'],
  properties: {
    lastTransitionTime: { type: 'string', format: 'date-time' },
    message: { type: 'string', maxLength: 32768 },
    observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
    reason: {
      type: 'string',
      maxLength: 1024,
      minLength: 1,
      pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
    },
    status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
    type: {
      type: 'string',
      maxLength: 316,
      pattern:
        '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    },
  },
};

const conditions: Obj = {
  type: 'array',
  description: 'Observations of the current state. Known condition types: "Ready".',
  default: [
    {
      type: 'Ready',
      status: 'Unknown',
      reason: 'Unknown',
      message: 'Waiting for control plane to reconcile',
      lastTransitionTime: '1970-01-01T00:00:00Z',
    },
  ],
  items: condition,
};

const typeMeta: Obj = {
  apiVersion: { type: 'string' },
  kind: { type: 'string' },
  metadata: { type: 'object' },
};

function crd(
  plural: string,
  kind: string,
  schema: Obj,
  extra: { categories?: string[]; annotations?: Record<string, string>; columns: Obj[] },
): Obj {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${plural}.${MILO_GROUP}`,
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
    },
    spec: {
      group: MILO_GROUP,
      names: {
        kind,
        listKind: `${kind}List`,
        plural,
        singular: kind.toLowerCase(),
        ...(extra.categories ? { categories: extra.categories } : {}),
      },
      scope: 'Cluster',
      versions: [
        {
          name: MILO_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: extra.columns,
          schema: { openAPIV3Schema: schema },
        },
      ],
    },
  };
}

const readyColumn = {
  name: 'Ready',
  type: 'string',
  jsonPath: ".status.conditions[?(@.type=='Ready')].status",
};
const ageColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export const organizationCrd = crd(
  'organizations',
  'Organization',
  {
    type: 'object',
    description: 'The top-level tenant of Milo: it owns projects.',
    required: ['spec'],
    properties: {
      ...typeMeta,
      spec: {
        type: 'object',
        required: ['type'],
        properties: {
          type: {
            type: 'string',
            description: 'Personal or Standard; cannot be changed after creation.',
            enum: ['Personal', 'Standard'],
            'x-kubernetes-validations': [
              {
                rule: 'type(oldSelf) == null_type || self == oldSelf',
                message: 'organization type is immutable',
              },
            ],
          },
        },
      },
      status: {
        type: 'object',
        properties: {
          observedGeneration: { type: 'integer', format: 'int64' },
          conditions,
        },
      },
    },
  },
  {
    categories: ['datum'],
    columns: [
      {
        name: 'Display Name',
        type: 'string',
        jsonPath: '.metadata.annotations.kubernetes\\.io\\/display-name',
      },
      { name: 'Type', type: 'string', jsonPath: '.spec.type' },
      readyColumn,
      ageColumn,
    ],
  },
);

export const projectCrd = crd(
  'projects',
  'Project',
  {
    type: 'object',
    description: 'A project of an organization, with a control plane of its own.',
    required: ['spec'],
    properties: {
      ...typeMeta,
      spec: {
        type: 'object',
        required: ['ownerRef'],
        properties: {
          ownerRef: {
            type: 'object',
            description: 'The owner of the project.',
            required: ['kind', 'name'],
            properties: {
              kind: { type: 'string', enum: ['Organization'] },
              name: { type: 'string' },
            },
          },
        },
      },
      status: { type: 'object', properties: { conditions } },
    },
  },
  {
    annotations: { 'discovery.miloapis.com/parent-contexts': 'Organization' },
    columns: [readyColumn, ageColumn],
  },
);
