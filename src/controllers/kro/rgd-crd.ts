/**
 * kro's ResourceGraphDefinition CRD (kro.run/v1alpha1, cluster-scoped, short name rgd), installed by
 * the controller when the API server lacks it, so `kubectl apply -f rgd.yaml` works as on a cluster
 * with kro. Printer columns as kro's (APIVERSION, KIND, STATE, READY, TOPOLOGICALORDER wide, AGE);
 * templates and SimpleSchema maps are schemaless, like kro's generated CRD.
 */
import type { ResourceMapping } from '../../kube/discovery.js';

export const rgdMapping: ResourceMapping = {
  group: 'kro.run',
  version: 'v1alpha1',
  resource: 'resourcegraphdefinitions',
  kind: 'ResourceGraphDefinition',
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
};

const schemaless = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const strings = { type: 'array', items: { type: 'string' } };

export const rgdCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'resourcegraphdefinitions.kro.run' },
  spec: {
    group: 'kro.run',
    names: {
      kind: 'ResourceGraphDefinition',
      listKind: 'ResourceGraphDefinitionList',
      plural: 'resourcegraphdefinitions',
      shortNames: ['rgd'],
      singular: 'resourcegraphdefinition',
    },
    scope: 'Cluster',
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { jsonPath: '.spec.schema.apiVersion', name: 'APIVERSION', type: 'string' },
          { jsonPath: '.spec.schema.kind', name: 'KIND', type: 'string' },
          { jsonPath: '.status.state', name: 'STATE', type: 'string' },
          { jsonPath: '.status.conditions[?(@.type=="Ready")].status', name: 'READY', type: 'string' },
          { jsonPath: '.status.topologicalOrder', name: 'TOPOLOGICALORDER', priority: 1, type: 'string' },
          { jsonPath: '.metadata.creationTimestamp', name: 'AGE', type: 'date' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'ResourceGraphDefinition is the Schema for the resourcegraphdefinitions API',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                required: ['schema'],
                properties: {
                  schema: {
                    type: 'object',
                    required: ['apiVersion', 'kind'],
                    properties: {
                      apiVersion: { type: 'string', pattern: '^v[0-9]+(alpha[0-9]+|beta[0-9]+)?$' },
                      kind: { type: 'string', pattern: '^[A-Z][a-zA-Z0-9]{0,62}$' },
                      group: { type: 'string', default: 'kro.run' },
                      scope: { type: 'string', enum: ['Namespaced', 'Cluster'] },
                      spec: schemaless,
                      types: schemaless,
                      status: schemaless,
                      metadata: schemaless,
                      additionalPrinterColumns: { type: 'array', items: schemaless },
                      shortNames: strings,
                      categories: strings,
                    },
                  },
                  resources: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id'],
                      properties: {
                        id: { type: 'string' },
                        template: schemaless,
                        externalRef: schemaless,
                        readyWhen: strings,
                        includeWhen: strings,
                        forEach: { type: 'array', items: schemaless },
                      },
                    },
                  },
                },
              },
              status: schemaless,
            },
          },
        },
      },
    ],
  },
};
