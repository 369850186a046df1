/**
 * kro's ApplySet bookkeeping on the instance (pkg/controller/instance/applyset): the set id
 * (`applyset-<base64url(sha256(name.namespace.Kind.group))>-v1`, carried by every child as
 * applyset.kubernetes.io/part-of), and the parent's inventory annotations: which group-kinds and
 * extra namespaces hold children. Prune and deletion find children from this inventory only.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../kube/client.js';
import {
  ANNOTATION_APPLYSET_GKS,
  ANNOTATION_APPLYSET_NAMESPACES,
  ANNOTATION_APPLYSET_TOOLING,
  ANNOTATION_INVENTORY_HASH,
  KRO_VERSION,
  LABEL_APPLYSET_ID,
} from './constants.js';

export function applySetId(instance: KubeObject, kind: string, group: string): string {
  const raw = `${instance.metadata.name}.${instance.metadata.namespace ?? ''}.${kind}.${group}`;
  return `applyset-${createHash('sha256').update(raw).digest('base64url')}-v1`;
}

export interface Inventory {
  groupKinds: Set<string>;
  namespaces: Set<string>;
}

const split = (s: string | undefined) => new Set((s ?? '').split(',').filter(Boolean));

export function inventoryOf(instance: KubeObject): Inventory {
  const a = (instance.metadata.annotations ?? {}) as Record<string, string>;
  return {
    groupKinds: split(a[ANNOTATION_APPLYSET_GKS]),
    namespaces: split(a[ANNOTATION_APPLYSET_NAMESPACES]),
  };
}

export function union(a: Inventory, b: Inventory): Inventory {
  return {
    groupKinds: new Set([...a.groupKinds, ...b.groupKinds]),
    namespaces: new Set([...a.namespaces, ...b.namespaces]),
  };
}

/** The parent metadata kro applies (field manager kro.run/applyset-parent). */
export function parentMetadata(
  id: string,
  inv: Inventory,
): { labels: Record<string, string>; annotations: Record<string, string> } {
  const gks = [...inv.groupKinds].sort().join(',');
  const nss = [...inv.namespaces].sort().join(',');
  return {
    labels: { [LABEL_APPLYSET_ID]: id },
    annotations: {
      [ANNOTATION_APPLYSET_TOOLING]: `kro/${KRO_VERSION}`,
      [ANNOTATION_APPLYSET_GKS]: gks,
      [ANNOTATION_APPLYSET_NAMESPACES]: nss,
      [ANNOTATION_INVENTORY_HASH]: createHash('sha256').update(`${gks}|${nss}`).digest('hex').slice(0, 16),
    },
  };
}
