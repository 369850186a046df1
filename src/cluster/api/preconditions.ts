/**
 * The storage layer's checks on writes, with the errors etcd3's store returns: a create must not
 * carry a resourceVersion (500, as kube-apiserver answers), and an update whose body names a uid is
 * conditional on it (409 carrying the StorageError text).
 */
import type { Stored } from '../store/store.js';
import type { ResourceType } from './resources.js';
import { ApiError } from './status.js';

/** Storage prefixes that differ from the resource name (kube-apiserver's etcd layout). */
const prefixes: Record<string, string> = {
  services: 'services/specs',
  nodes: 'minions',
  ingresses: 'ingress',
  'customresourcedefinitions.apiextensions.k8s.io': 'apiextensions.k8s.io/customresourcedefinitions',
};

/** The etcd key of an object, as error messages show it. */
function etcdKey(rt: ResourceType, ns: string, name: string): string {
  const prefix = prefixes[rt.storageKey] ?? (rt.custom ? `${rt.group}/${rt.plural}` : rt.plural);
  return `/registry/${prefix}/${ns ? `${ns}/` : ''}${name}`;
}

/** etcd3 store.Create: a resourceVersion that parses as a non-zero uint64 is refused. */
export function checkCreateResourceVersion(meta: Record<string, unknown>): void {
  const rv = meta.resourceVersion;
  if (typeof rv === 'string' && /^\d+$/.test(rv) && BigInt(rv) !== 0n && BigInt(rv) < 2n ** 64n) {
    throw new ApiError(500, undefined, 'resourceVersion should not be set on objects to be created');
  }
}

/** PUT with metadata.uid set: the uid is a precondition (storage.Preconditions.Check). */
export function checkUidPrecondition(rt: ResourceType, cur: Stored, uid: unknown): void {
  if (typeof uid !== 'string' || uid === '' || uid === cur.obj.metadata.uid) return;
  const key = etcdKey(rt, cur.ns, cur.name);
  const qualified = rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
  throw new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified} "${cur.name}": StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${uid}, UID in object meta: ${String(cur.obj.metadata.uid)}`,
    { name: cur.name, ...(rt.group ? { group: rt.group } : {}), kind: rt.plural },
  );
}
