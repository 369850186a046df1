/** kro's names on the wire (pkg/metadata, api/v1alpha1), so cluster state looks like real kro's. */
export const KRO_VERSION = 'v0.9.3-kubeperf';

export const FINALIZER = 'kro.run/finalizer';

export const LABEL_OWNED = 'kro.run/owned';
export const LABEL_KRO_VERSION = 'kro.run/kro-version';
export const LABEL_RGD_ID = 'kro.run/resource-graph-definition-id';
export const LABEL_RGD_NAME = 'kro.run/resource-graph-definition-name';
export const LABEL_INSTANCE_ID = 'kro.run/instance-id';
export const LABEL_INSTANCE_NAME = 'kro.run/instance-name';
export const LABEL_INSTANCE_NAMESPACE = 'kro.run/instance-namespace';
export const LABEL_INSTANCE_GROUP = 'kro.run/instance-group';
export const LABEL_INSTANCE_VERSION = 'kro.run/instance-version';
export const LABEL_INSTANCE_KIND = 'kro.run/instance-kind';
export const LABEL_NODE_ID = 'kro.run/node-id';
export const LABEL_COLLECTION_INDEX = 'kro.run/collection-index';
export const LABEL_COLLECTION_SIZE = 'kro.run/collection-size';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';

export const LABEL_APPLYSET_ID = 'applyset.kubernetes.io/id';
export const LABEL_APPLYSET_PART_OF = 'applyset.kubernetes.io/part-of';
export const ANNOTATION_APPLYSET_TOOLING = 'applyset.kubernetes.io/tooling';
export const ANNOTATION_APPLYSET_GKS = 'applyset.kubernetes.io/contains-group-kinds';
export const ANNOTATION_APPLYSET_NAMESPACES = 'applyset.kubernetes.io/additional-namespaces';
export const ANNOTATION_INVENTORY_HASH = 'internal.kro.run/applyset-inventory-hash';
export const ANNOTATION_APPLY_ORDER = 'internal.kro.run/apply-order';
/** Instance annotation that suspends reconciliation (`suspended`, legacy `disabled`). */
export const ANNOTATION_RECONCILE = 'kro.run/reconcile';

export const FIELD_MANAGER_APPLYSET = 'kro.run/applyset';
export const FIELD_MANAGER_PARENT = 'kro.run/applyset-parent';
export const FIELD_MANAGER_LABELLER = 'kro.run/labeller';

export const QUEUE_NAME = 'dynamic-controller-queue';

export const InstanceState = {
  active: 'ACTIVE',
  inProgress: 'IN_PROGRESS',
  error: 'ERROR',
  deleting: 'DELETING',
} as const;
export type InstanceState = (typeof InstanceState)[keyof typeof InstanceState];
