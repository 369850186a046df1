/** The API access of a `crud` phase, for `kubeperf deploy`'s least-privilege RBAC. */
import { cleanupVerbs, namespaceAccess, type ApiAccess } from '../../kube/access.js';
import type { CrudOptions } from './options.js';

const verbOf: Record<string, string> = {
  create: 'create',
  get: 'get',
  update: 'update',
  patch: 'patch',
  list: 'list',
  'list-paged': 'list',
};

export function crudAccess(o: CrudOptions): ApiAccess[] {
  const verbs = new Set<string>(['create', 'delete']); // every cycle creates and deletes its objects
  for (const op of o.ops ?? Object.keys(verbOf)) if (verbOf[op]) verbs.add(verbOf[op]);
  for (const v of cleanupVerbs) verbs.add(v); // GC of what a cycle could not delete
  return [
    {
      apiVersion: o.apiVersion,
      kind: o.resource,
      verbs: [...verbs],
      namespace: o.namespace,
      reason: `crud ${o.resource}: ${[...new Set([...(o.ops ?? Object.keys(verbOf)), 'create', 'delete'])].join(', ')}, cleanup`,
    },
    namespaceAccess(`crud: namespace ${o.namespace} (created when missing, deleted after)`, {
      apiVersion: o.apiVersion,
      kind: o.resource,
    }),
  ];
}
