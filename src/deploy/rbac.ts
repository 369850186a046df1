/**
 * Least-privilege RBAC for an in-cluster run, computed from the study: the verbs on the resources
 * its phases declare (PhaseType.access), the study's own `deploy.rules`, and what the run itself
 * needs (its results ConfigMap; barrier Leases with workers). A study measuring another cluster
 * (deploy.kubeconfigSecret) gets here only what its phases do on the results cluster. Namespaced
 * access in the deploy namespace becomes a Role there; access in namespaces the study creates at
 * run time (which do not exist yet, so no RoleBinding can live in them), across namespaces, or to
 * cluster-scoped kinds becomes a ClusterRole: cluster-wide only when needed.
 */
import type { LoadedStudy } from '../config/load.js';
import { InputError } from '../core/errors.js';
import type { ApiAccess } from '../kube/access.js';
import type { KindResolver, StudyCrd } from './kinds.js';

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

export interface RbacPlan {
  /** Rules of the Role in the deploy namespace. */
  role: PolicyRule[];
  /** Rules of the ClusterRole; empty when nothing needs one. */
  clusterRole: PolicyRule[];
  /** Why each resource is granted ("configmaps: crud …"), for the --dry-run comments. */
  reasons: string[];
  /** Phases whose access comes only from deploy.rules. */
  notes: string[];
}

export interface RbacOptions {
  namespace: string;
  workers: number;
  resolver: KindResolver;
  /** Grant GET /metrics (control-plane CPU/memory sampling); default: when a ClusterRole is needed anyway. */
  grantMetrics?: boolean;
  /**
   * The run measures another cluster (deploy.kubeconfigSecret): here its phases need only what they
   * declare `on: 'results'` (Milo's perf-results ConfigMap).
   */
  phasesElsewhere?: boolean;
}

const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const sortVerbs = (v: Iterable<string>) =>
  [...new Set(v)].sort((a, b) => {
    const ia = VERB_ORDER.indexOf(a);
    const ib = VERB_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });

/** What every in-cluster run needs in its namespace, besides its phases. */
export function runAccess(o: {
  workers: number;
}): { group: string; resource: string; verbs: string[]; reason: string }[] {
  const out = [
    {
      group: '',
      resource: 'configmaps',
      verbs: ['create', 'patch'],
      reason: 'results ConfigMap: checkpoints and final results (server-side apply)',
    },
  ];
  if (o.workers > 1)
    out.push({
      group: 'coordination.k8s.io',
      resource: 'leases',
      verbs: ['create', 'list', 'watch', 'delete'],
      reason: `start/end barrier of ${o.workers} workers (one Lease each), removed at cleanup`,
    });
  return out;
}

export async function computeRbac(loaded: LoadedStudy, o: RbacOptions): Promise<RbacPlan> {
  const access: { a: ApiAccess; phase: string }[] = [];
  const notes: string[] = [];
  const problems: string[] = [];
  const rules = loaded.study.deploy?.rules ?? [];
  for (const p of loaded.phases) {
    const plan = p.phaseType.plan(p.options, { baseDir: loaded.baseDir, runId: 'deploy' });
    if (!plan.needsCluster) continue;
    if (!p.phaseType.access) {
      // Measuring another cluster, a phase needs nothing here unless it says so.
      if (o.phasesElsewhere) continue;
      if (rules.length)
        notes.push(`phase ${p.name} (${p.type}) declares no access: deploy.rules must cover it`);
      else
        problems.push(
          `phase ${p.name}: phase type ${p.type} does not say which API access it needs, so its RBAC cannot be computed`,
        );
      continue;
    }
    const ctx = { baseDir: loaded.baseDir, runId: 'deploy', phaseName: p.name };
    for (const a of p.phaseType.access(p.options, ctx))
      if (!o.phasesElsewhere || a.on === 'results') access.push({ a, phase: p.name });
  }
  const crds: StudyCrd[] = access.flatMap((x) => (x.a.defines ? [x.a.defines] : []));
  const resolver: KindResolver = {
    source: o.resolver.source,
    resolve: async (apiVersion, kind) => {
      const hit = await o.resolver.resolve(apiVersion, kind);
      if (hit) return hit;
      const [group, version] = apiVersion.split('/');
      const c = crds.find(
        (x) =>
          x.group === group &&
          (!version || !x.versions.length || x.versions.includes(version)) &&
          (x.kind === kind || x.plural === kind.toLowerCase() || x.singular === kind.toLowerCase()),
      );
      return c ? { group: c.group, resource: c.plural, namespaced: c.namespaced } : undefined;
    },
  };

  const role = new Map<string, Set<string>>();
  const cluster = new Map<string, Set<string>>();
  const reasons = new Map<string, Set<string>>();
  const grant = (
    scope: Map<string, Set<string>>,
    group: string,
    resource: string,
    verbs: string[],
    why: string,
    names: string[] = [],
  ) => {
    const k = `${group}|${resource}|${[...names].sort().join(',')}`;
    const set = scope.get(k) ?? new Set<string>();
    for (const v of verbs) set.add(v);
    scope.set(k, set);
    const rk = `${scope === role ? `Role ${o.namespace}` : 'ClusterRole'}: ${resource}${group ? `.${group}` : ''}`;
    reasons.set(rk, (reasons.get(rk) ?? new Set()).add(why));
  };
  for (const { a, phase } of access) {
    const info = await resolver.resolve(a.apiVersion, a.kind);
    if (!info) {
      problems.push(
        `phase ${phase}: kind ${a.kind} (${a.apiVersion}) is unknown to ${o.resolver.source}, so its RBAC cannot be computed`,
      );
      continue;
    }
    if (a.onlyIfNamespaced) {
      const other = await resolver.resolve(a.onlyIfNamespaced.apiVersion, a.onlyIfNamespaced.kind);
      if (other && !other.namespaced) continue;
    }
    const inDeployNs = info.namespaced && a.namespace === o.namespace;
    const resource = a.subresource ? `${info.resource}/${a.subresource}` : info.resource;
    grant(inDeployNs ? role : cluster, info.group, resource, a.verbs, a.reason, a.resourceNames);
  }
  if (problems.length)
    throw new InputError(`${loaded.source}: the RBAC of this study cannot be computed`, {
      problems,
      hint: 'install the CRD and pass --kubeconfig so deploy asks the cluster, fix the kind, or add the rules under deploy.rules (docs/deploy.md)',
    });
  for (const r of runAccess(o)) grant(role, r.group, r.resource, r.verbs, r.reason);

  // deploy.rules: merged into the computed grants (one rule per resource, names and scope).
  for (const r of rules) {
    const scope = (r.namespace ?? o.namespace) === o.namespace ? role : cluster;
    for (const g of r.apiGroups)
      for (const res of r.resources)
        grant(scope, g, res, r.verbs, 'deploy.rules of the study', r.resourceNames);
  }

  const toRules = (scope: Map<string, Set<string>>): PolicyRule[] => {
    // One rule per API group, verb set and object names, resources sorted: stable output to review.
    const byKey = new Map<string, PolicyRule>();
    for (const [k, verbs] of scope) {
      const [group, resource, names] = k.split('|') as [string, string, string];
      const v = sortVerbs(verbs);
      const key = `${group}|${v.join(',')}|${names}`;
      const rule = byKey.get(key) ?? {
        apiGroups: [group],
        resources: [],
        ...(names ? { resourceNames: names.split(',') } : {}),
        verbs: v,
      };
      rule.resources!.push(resource);
      byKey.set(key, rule);
    }
    return [...byKey.values()]
      .map((r) => ({ ...r, resources: r.resources!.sort() }))
      .sort(
        (a, b) =>
          a.apiGroups![0]!.localeCompare(b.apiGroups![0]!) ||
          a.resources![0]!.localeCompare(b.resources![0]!) ||
          (a.resourceNames ? 1 : 0) - (b.resourceNames ? 1 : 0),
      );
  };
  const roleRules = toRules(role);
  const clusterRules = toRules(cluster);
  if (o.grantMetrics ?? clusterRules.length > 0) {
    clusterRules.push({ nonResourceURLs: ['/metrics'], verbs: ['get'] });
    reasons.set(
      'ClusterRole: /metrics',
      new Set(['control-plane CPU/memory from the API server’s /metrics']),
    );
  }
  return {
    role: roleRules,
    clusterRole: clusterRules,
    reasons: [...reasons].map(([k, v]) => `${k}: ${[...v].join('; ')}`),
    notes,
  };
}
