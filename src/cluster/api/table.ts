/**
 * `Accept: application/json;as=Table;g=meta.k8s.io;v=v1` — the server-side printing kubectl uses
 * for `get`: per-kind columns like kube-apiserver's printers (a subset), CRD
 * additionalPrinterColumns, rows carrying PartialObjectMetadata.
 */
import type { Stored } from '../store/store.js';
import { viewJson } from './objects.js';
import type { ResourceType } from './resources.js';
import { errors } from './status.js';

type Obj = Record<string, unknown>;
interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}
type Cell = string | number | boolean | null;

const nameColumn: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};
const ageColumn: Column = {
  name: 'Age',
  type: 'string',
  format: '',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  priority: 0,
};
const col = (name: string, type = 'string', description = '', priority = 0): Column => ({
  name,
  type,
  format: '',
  description,
  priority,
});
/** The replica counts of ReplicaSets, ReplicationControllers and DaemonSets, in kubectl's order. */
const replicaColumns = [col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer')];

/** kubectl's short human durations (apimachinery duration.HumanDuration). */
export function humanAge(createdAt: unknown, now = Date.now()): string {
  if (typeof createdAt !== 'string') return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(createdAt)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

const get = (o: unknown, ...keys: string[]): unknown => {
  let cur = o;
  for (const k of keys) cur = cur && typeof cur === 'object' ? (cur as Obj)[k] : undefined;
  return cur;
};

const age = (o: Obj) => humanAge(get(o, 'metadata', 'creationTimestamp'));
const num = (o: Obj, ...path: string[]): number => Number(get(o, ...path) ?? 0);
const name = (o: Obj) => String(get(o, 'metadata', 'name'));

/**
 * The JSONPath subset of additionalPrinterColumns: dotted fields with escaped dots and slashes, `[n]`,
 * `[*]` and filters `[?(@.field=='value')]` (Milo's Ready column:
 * `.status.conditions[?(@.type=='Ready')].status`). The first match is the cell.
 */
function jsonPathValues(o: unknown, path: string): unknown[] {
  let values: unknown[] = [o];
  let i = path.startsWith('.') ? 1 : 0;
  while (i < path.length) {
    if (path[i] === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) return [];
      const expr = path.slice(i + 1, end);
      i = end + 1;
      const arrays = values.filter(Array.isArray) as unknown[][];
      const filter = /^\?\(@\.([\w.]+)\s*==\s*(['"])(.*)\2\)$/.exec(expr);
      if (expr === '*') values = arrays.flat();
      else if (/^\d+$/.test(expr)) values = arrays.map((a) => a[Number(expr)]);
      else if (filter)
        values = arrays.flat().filter((el) => String(get(el, ...filter[1]!.split('.'))) === filter[3]);
      else return [];
      continue;
    }
    if (path[i] === '.') i++;
    let key = '';
    while (i < path.length && path[i] !== '.' && path[i] !== '[') {
      if (path[i] === '\\' && i + 1 < path.length) i++;
      key += path[i++];
    }
    if (key) values = values.map((v) => get(v, key));
  }
  return values.filter((v) => v !== undefined && v !== null);
}

function jsonPath(o: unknown, path: string): Cell {
  const v = jsonPathValues(o, path)[0];
  if (v === undefined || v === null) return null;
  return typeof v === 'object' ? JSON.stringify(v) : (v as Cell);
}

interface Printer {
  columns: Column[];
  cells(o: Obj): Cell[];
}

function printerFor(rt: ResourceType): Printer {
  if (rt.custom) {
    const pcs = rt.printerColumns ?? [];
    const hasAge = pcs.some((p) => p.jsonPath === '.metadata.creationTimestamp');
    return {
      columns: [
        nameColumn,
        ...pcs.map((p) => ({
          name: p.name,
          type: p.type,
          format: p.format ?? '',
          description:
            p.description ?? `Custom resource definition column (in JSONPath format): ${p.jsonPath}`,
          priority: p.priority ?? 0,
        })),
        ...(pcs.length && !hasAge ? [] : pcs.length ? [] : [ageColumn]),
      ],
      cells: (o) => [
        String(get(o, 'metadata', 'name')),
        ...pcs.map((p) => (p.type === 'date' ? humanAge(jsonPath(o, p.jsonPath)) : jsonPath(o, p.jsonPath))),
        ...(pcs.length ? [] : [humanAge(get(o, 'metadata', 'creationTimestamp'))]),
      ],
    };
  }
  switch (rt.storageKey) {
    case 'configmaps':
      return {
        columns: [nameColumn, col('Data'), ageColumn],
        cells: (o) => [
          name(o),
          Object.keys((o.data as Obj) ?? {}).length + Object.keys((o.binaryData as Obj) ?? {}).length,
          age(o),
        ],
      };
    case 'secrets':
      return {
        columns: [nameColumn, col('Type'), col('Data'), ageColumn],
        cells: (o) => [name(o), (o.type as string) ?? '', Object.keys((o.data as Obj) ?? {}).length, age(o)],
      };
    case 'namespaces':
      return {
        columns: [nameColumn, col('Status'), ageColumn],
        cells: (o) => [name(o), (get(o, 'status', 'phase') as string) ?? '', age(o)],
      };
    case 'pods':
      return {
        columns: [
          nameColumn,
          col('Ready'),
          col('Status'),
          col('Restarts', 'string'),
          ageColumn,
          col('IP', 'string', '', 1),
          col('Node', 'string', '', 1),
        ],
        cells: (o) => {
          const cs = (get(o, 'status', 'containerStatuses') as Obj[] | undefined) ?? [];
          const total = ((get(o, 'spec', 'containers') as unknown[] | undefined) ?? []).length;
          const ready = cs.filter((c) => c.ready === true).length;
          const restarts = cs.reduce((n, c) => n + ((c.restartCount as number) ?? 0), 0);
          const deleting = get(o, 'metadata', 'deletionTimestamp');
          return [
            name(o),
            `${ready}/${total}`,
            deleting ? 'Terminating' : ((get(o, 'status', 'phase') as string) ?? 'Pending'),
            String(restarts),
            age(o),
            (get(o, 'status', 'podIP') as string) ?? '<none>',
            (get(o, 'spec', 'nodeName') as string) ?? '<none>',
          ];
        },
      };
    case 'deployments.apps':
      return {
        columns: [
          nameColumn,
          col('Ready'),
          col('Up-to-date', 'integer'),
          col('Available', 'integer'),
          ageColumn,
        ],
        cells: (o) => [
          name(o),
          `${(get(o, 'status', 'readyReplicas') as number) ?? 0}/${(get(o, 'spec', 'replicas') as number) ?? 0}`,
          (get(o, 'status', 'updatedReplicas') as number) ?? 0,
          (get(o, 'status', 'availableReplicas') as number) ?? 0,
          age(o),
        ],
      };
    case 'services':
      return {
        columns: [nameColumn, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), ageColumn],
        cells: (o) => [
          name(o),
          (get(o, 'spec', 'type') as string) ?? 'ClusterIP',
          (get(o, 'spec', 'clusterIP') as string) ?? '<none>',
          '<none>',
          ((get(o, 'spec', 'ports') as Obj[] | undefined) ?? [])
            .map((p) => `${String(p.port)}/${String(p.protocol ?? 'TCP')}`)
            .join(',') || '<none>',
          age(o),
        ],
      };
    case 'nodes':
      return {
        columns: [nameColumn, col('Status'), col('Roles'), ageColumn, col('Version')],
        cells: (o) => {
          const ready = ((get(o, 'status', 'conditions') as Obj[] | undefined) ?? []).find(
            (c) => c.type === 'Ready',
          );
          const roles = Object.keys((get(o, 'metadata', 'labels') as Obj | undefined) ?? {})
            .filter((l) => l.startsWith('node-role.kubernetes.io/'))
            .map((l) => l.slice('node-role.kubernetes.io/'.length));
          return [
            name(o),
            ready?.status === 'True' ? 'Ready' : 'NotReady',
            roles.join(',') || '<none>',
            age(o),
            (get(o, 'status', 'nodeInfo', 'kubeletVersion') as string) ?? '',
          ];
        },
      };
    case 'endpoints':
      return {
        columns: [nameColumn, col('Endpoints'), ageColumn],
        cells: (o) => {
          const eps: string[] = [];
          for (const s of (o.subsets as Obj[] | undefined) ?? []) {
            for (const a of (s.addresses as Obj[] | undefined) ?? []) {
              for (const p of (s.ports as Obj[] | undefined) ?? [{}])
                eps.push(p.port ? `${String(a.ip)}:${String(p.port)}` : String(a.ip));
            }
          }
          return [name(o), firstThree(eps, '<none>'), age(o)];
        },
      };
    case 'replicasets.apps':
      return {
        columns: [nameColumn, ...replicaColumns, ageColumn],
        cells: (o) => [
          name(o),
          num(o, 'spec', 'replicas'),
          num(o, 'status', 'replicas'),
          num(o, 'status', 'readyReplicas'),
          age(o),
        ],
      };
    case 'statefulsets.apps':
      return {
        columns: [nameColumn, col('Ready'), ageColumn],
        cells: (o) => [name(o), `${num(o, 'status', 'readyReplicas')}/${num(o, 'spec', 'replicas')}`, age(o)],
      };
    case 'daemonsets.apps':
      return {
        columns: [
          nameColumn,
          ...replicaColumns,
          col('Up-to-date', 'integer'),
          col('Available', 'integer'),
          col('Node Selector'),
          ageColumn,
        ],
        cells: (o) => [
          name(o),
          num(o, 'status', 'desiredNumberScheduled'),
          num(o, 'status', 'currentNumberScheduled'),
          num(o, 'status', 'numberReady'),
          num(o, 'status', 'updatedNumberScheduled'),
          num(o, 'status', 'numberAvailable'),
          selectorText(get(o, 'spec', 'template', 'spec', 'nodeSelector')),
          age(o),
        ],
      };
    case 'jobs.batch':
      return {
        columns: [nameColumn, col('Completions'), col('Duration'), ageColumn],
        cells: (o) => {
          const start = get(o, 'status', 'startTime');
          const end = get(o, 'status', 'completionTime');
          return [
            name(o),
            `${num(o, 'status', 'succeeded')}/${num(o, 'spec', 'completions') || 1}`,
            typeof start === 'string'
              ? humanAge(start, typeof end === 'string' ? Date.parse(end) : Date.now())
              : '',
            age(o),
          ];
        },
      };
    case 'cronjobs.batch':
      return {
        columns: [
          nameColumn,
          col('Schedule'),
          col('Timezone'),
          col('Suspend', 'boolean'),
          col('Active', 'integer'),
          col('Last Schedule'),
          ageColumn,
        ],
        cells: (o) => [
          name(o),
          String(get(o, 'spec', 'schedule') ?? ''),
          String(get(o, 'spec', 'timeZone') ?? '<none>'),
          get(o, 'spec', 'suspend') === true,
          ((get(o, 'status', 'active') as unknown[] | undefined) ?? []).length,
          typeof get(o, 'status', 'lastScheduleTime') === 'string'
            ? humanAge(get(o, 'status', 'lastScheduleTime'))
            : '<none>',
          age(o),
        ],
      };
    case 'ingresses.networking.k8s.io':
      return {
        columns: [nameColumn, col('Class'), col('Hosts'), col('Address'), col('Ports'), ageColumn],
        cells: (o) => {
          const rules = (get(o, 'spec', 'rules') as Obj[] | undefined) ?? [];
          const hosts = rules.map((r) => r.host).filter(Boolean);
          return [
            name(o),
            String(get(o, 'spec', 'ingressClassName') ?? '<none>'),
            hosts.length ? hosts.join(',') : '*',
            '',
            get(o, 'spec', 'tls') ? '80, 443' : '80',
            age(o),
          ];
        },
      };
    case 'networkpolicies.networking.k8s.io':
      return {
        columns: [nameColumn, col('Pod-Selector'), ageColumn],
        cells: (o) => [name(o), selectorText(get(o, 'spec', 'podSelector', 'matchLabels')), age(o)],
      };
    case 'poddisruptionbudgets.policy':
      return {
        columns: [
          nameColumn,
          col('Min Available'),
          col('Max Unavailable'),
          col('Allowed Disruptions', 'integer'),
          ageColumn,
        ],
        cells: (o) => [
          name(o),
          String(get(o, 'spec', 'minAvailable') ?? 'N/A'),
          String(get(o, 'spec', 'maxUnavailable') ?? 'N/A'),
          num(o, 'status', 'disruptionsAllowed'),
          age(o),
        ],
      };
    case 'horizontalpodautoscalers.autoscaling':
      return {
        columns: [
          nameColumn,
          col('Reference'),
          col('Targets'),
          col('MinPods', 'integer'),
          col('MaxPods', 'integer'),
          col('Replicas', 'integer'),
          ageColumn,
        ],
        cells: (o) => [
          name(o),
          `${String(get(o, 'spec', 'scaleTargetRef', 'kind'))}/${String(get(o, 'spec', 'scaleTargetRef', 'name'))}`,
          '<unknown>',
          num(o, 'spec', 'minReplicas') || 1,
          num(o, 'spec', 'maxReplicas'),
          num(o, 'status', 'currentReplicas'),
          age(o),
        ],
      };
    case 'rolebindings.rbac.authorization.k8s.io':
    case 'clusterrolebindings.rbac.authorization.k8s.io':
      return {
        columns: [nameColumn, col('Role'), ageColumn],
        cells: (o) => [
          name(o),
          `${String(get(o, 'roleRef', 'kind'))}/${String(get(o, 'roleRef', 'name'))}`,
          age(o),
        ],
      };
    case 'roles.rbac.authorization.k8s.io':
    case 'clusterroles.rbac.authorization.k8s.io':
    case 'limitranges':
    case 'customresourcedefinitions.apiextensions.k8s.io':
      return {
        columns: [nameColumn, col('Created At', 'date')],
        cells: (o) => [name(o), (get(o, 'metadata', 'creationTimestamp') as string) ?? null],
      };
    case 'endpointslices.discovery.k8s.io':
      return {
        columns: [nameColumn, col('AddressType'), col('Ports'), col('Endpoints'), ageColumn],
        cells: (o) => {
          const ports = ((o.ports as Obj[] | undefined) ?? []).map((p) => String(p.port));
          const addrs = ((o.endpoints as Obj[] | undefined) ?? []).flatMap(
            (e) => (e.addresses as string[]) ?? [],
          );
          return [
            name(o),
            String(o.addressType ?? ''),
            ports.join(',') || '<unset>',
            firstThree(addrs, '<unset>'),
            age(o),
          ];
        },
      };
    case 'events':
      return {
        columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Message')],
        cells: (o) => [
          humanAge(get(o, 'lastTimestamp') ?? get(o, 'eventTime') ?? get(o, 'metadata', 'creationTimestamp')),
          String(o.type ?? ''),
          String(o.reason ?? ''),
          `${String(get(o, 'involvedObject', 'kind')).toLowerCase()}/${String(get(o, 'involvedObject', 'name'))}`,
          String(o.message ?? ''),
        ],
      };
    default:
      return (
        v128Printers[rt.storageKey] ?? { columns: [nameColumn, ageColumn], cells: (o) => [name(o), age(o)] }
      );
  }
}

const str = (v: unknown, none = '<none>'): string =>
  v === undefined || v === null || v === '' ? none : String(v);
/** kubectl's endpoint lists: the first three, then ` + N more...`; `none` when empty. */
const firstThree = (list: string[], none: string): string =>
  list.length ? list.slice(0, 3).join(',') + (list.length > 3 ? ` + ${list.length - 3} more...` : '') : none;
const countOf = (v: unknown): number => (Array.isArray(v) ? v.length : 0);
const selectorText = (v: unknown): string =>
  Object.entries((v as Obj | undefined) ?? {})
    .map(([k, x]) => `${k}=${String(x)}`)
    .join(',') || '<none>';

/** Columns of kube-apiserver's printers (pkg/printers/internalversion) for the stored-only kinds. */
const v128Printers: Record<string, Printer> = {
  componentstatuses: {
    columns: [nameColumn, col('Status'), col('Message'), col('Error')],
    cells: (o) => {
      const c = ((o.conditions as Obj[] | undefined) ?? []).find((x) => x.type === 'Healthy');
      return [
        name(o),
        c?.status === 'True' ? 'Healthy' : 'Unhealthy',
        str(c?.message, ''),
        str(c?.error, ''),
      ];
    },
  },
  'priorityclasses.scheduling.k8s.io': {
    columns: [nameColumn, col('Value', 'integer'), col('Global-Default', 'boolean'), ageColumn],
    cells: (o) => [name(o), (o.value as number) ?? 0, o.globalDefault === true, age(o)],
  },
  'storageclasses.storage.k8s.io': {
    columns: [
      nameColumn,
      col('Provisioner'),
      col('ReclaimPolicy'),
      col('VolumeBindingMode'),
      col('AllowVolumeExpansion', 'boolean'),
      ageColumn,
    ],
    cells: (o) => {
      const isDefault =
        (get(o, 'metadata', 'annotations') as Obj | undefined)?.[
          'storageclass.kubernetes.io/is-default-class'
        ] === 'true';
      return [
        isDefault ? `${name(o)} (default)` : name(o),
        str(o.provisioner, ''),
        str(o.reclaimPolicy, 'Delete'),
        str(o.volumeBindingMode, 'Immediate'),
        o.allowVolumeExpansion === true,
        age(o),
      ];
    },
  },
  persistentvolumes: {
    columns: [
      nameColumn,
      col('Capacity'),
      col('Access Modes'),
      col('Reclaim Policy'),
      col('Status'),
      col('Claim'),
      col('StorageClass'),
      col('Reason'),
      ageColumn,
      col('VolumeMode', 'string', '', 1),
    ],
    cells: (o) => {
      const claim = get(o, 'spec', 'claimRef') as Obj | undefined;
      return [
        name(o),
        str(get(o, 'spec', 'capacity', 'storage'), ''),
        accessModes(get(o, 'spec', 'accessModes')),
        str(get(o, 'spec', 'persistentVolumeReclaimPolicy'), ''),
        str(get(o, 'status', 'phase'), ''),
        claim ? `${String(claim.namespace)}/${String(claim.name)}` : '',
        str(get(o, 'spec', 'storageClassName'), ''),
        str(get(o, 'status', 'reason'), ''),
        age(o),
        str(get(o, 'spec', 'volumeMode'), 'Filesystem'),
      ];
    },
  },
  persistentvolumeclaims: {
    columns: [
      nameColumn,
      col('Status'),
      col('Volume'),
      col('Capacity'),
      col('Access Modes'),
      col('StorageClass'),
      ageColumn,
      col('VolumeMode', 'string', '', 1),
    ],
    cells: (o) => [
      name(o),
      str(get(o, 'status', 'phase'), 'Pending'),
      str(get(o, 'spec', 'volumeName'), ''),
      str(get(o, 'status', 'capacity', 'storage'), ''),
      accessModes(get(o, 'status', 'accessModes')),
      str(get(o, 'spec', 'storageClassName'), ''),
      age(o),
      str(get(o, 'spec', 'volumeMode'), 'Filesystem'),
    ],
  },
  'controllerrevisions.apps': {
    columns: [nameColumn, col('Controller'), col('Revision', 'integer'), ageColumn],
    cells: (o) => {
      const owner = ((get(o, 'metadata', 'ownerReferences') as Obj[] | undefined) ?? []).find(
        (r) => r.controller,
      );
      const group = owner ? String(owner.apiVersion).split('/').slice(0, -1).join('/') : '';
      return [
        name(o),
        owner
          ? `${String(owner.kind).toLowerCase()}${group ? `.${group}` : ''}/${String(owner.name)}`
          : '<none>',
        (o.revision as number) ?? 0,
        age(o),
      ];
    },
  },
  replicationcontrollers: {
    columns: [nameColumn, ...replicaColumns, ageColumn],
    cells: (o) => [
      name(o),
      (get(o, 'spec', 'replicas') as number) ?? 1,
      (get(o, 'status', 'replicas') as number) ?? 0,
      (get(o, 'status', 'readyReplicas') as number) ?? 0,
      age(o),
    ],
  },
  resourcequotas: {
    columns: [nameColumn, ageColumn, col('Request'), col('Limit')],
    cells: (o) => {
      const hard =
        (get(o, 'status', 'hard') as Obj | undefined) ?? (get(o, 'spec', 'hard') as Obj | undefined) ?? {};
      const used = (get(o, 'status', 'used') as Obj | undefined) ?? {};
      const fmt = (keys: string[]) =>
        keys.map((k) => `${k}: ${String(used[k] ?? 0)}/${String(hard[k])}`).join(', ');
      const keys = Object.keys(hard).sort();
      return [
        name(o),
        age(o),
        fmt(keys.filter((k) => !k.startsWith('limits.'))),
        fmt(keys.filter((k) => k.startsWith('limits.'))),
      ];
    },
  },
  'certificatesigningrequests.certificates.k8s.io': {
    columns: [
      nameColumn,
      ageColumn,
      col('SignerName'),
      col('Requestor'),
      col('RequestedDuration'),
      col('Condition'),
    ],
    cells: (o) => {
      const conds = ((get(o, 'status', 'conditions') as Obj[] | undefined) ?? []).map((c) => String(c.type));
      const secs = get(o, 'spec', 'expirationSeconds') as number | undefined;
      return [
        name(o),
        age(o),
        str(get(o, 'spec', 'signerName'), ''),
        str(get(o, 'spec', 'username'), ''),
        secs ? humanAge(new Date(Date.now() - secs * 1000).toISOString()) : '<none>',
        conds.length ? conds.join(',') : 'Pending',
      ];
    },
  },
  'runtimeclasses.node.k8s.io': {
    columns: [nameColumn, col('Handler'), ageColumn],
    cells: (o) => [name(o), str(o.handler, ''), age(o)],
  },
  'mutatingwebhookconfigurations.admissionregistration.k8s.io': {
    columns: [nameColumn, col('Webhooks', 'integer'), ageColumn],
    cells: (o) => [name(o), countOf(o.webhooks), age(o)],
  },
  'validatingwebhookconfigurations.admissionregistration.k8s.io': {
    columns: [nameColumn, col('Webhooks', 'integer'), ageColumn],
    cells: (o) => [name(o), countOf(o.webhooks), age(o)],
  },
  'apiservices.apiregistration.k8s.io': {
    columns: [nameColumn, col('Service'), col('Available'), ageColumn],
    cells: (o) => {
      const svc = get(o, 'spec', 'service') as Obj | undefined;
      const avail = ((get(o, 'status', 'conditions') as Obj[] | undefined) ?? []).find(
        (c) => c.type === 'Available',
      );
      return [
        name(o),
        svc ? `${String(svc.namespace)}/${String(svc.name)}` : 'Local',
        avail
          ? avail.status === 'True'
            ? 'True'
            : `${String(avail.status)} (${String(avail.reason)})`
          : 'Unknown',
        age(o),
      ];
    },
  },
};

/** kubectl's access mode abbreviations. */
function accessModes(v: unknown): string {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  return ((v as string[] | undefined) ?? []).map((m) => short[m] ?? m).join(',');
}

export interface TableOptions {
  /** meta.k8s.io/v1 (default) or the older meta.k8s.io/v1beta1. */
  version?: 'v1' | 'v1beta1';
  /** ?includeObject=: what each row's `object` carries (Metadata by default). */
  includeObject?: 'None' | 'Metadata' | 'Object';
}

/** The table options of a request (includeObject from the query; 400 for unknown values). */
export function tableOptions(req: { query: URLSearchParams; tableVersion?: 'v1' | 'v1beta1' }): TableOptions {
  const inc = req.query.get('includeObject') ?? 'Metadata';
  if (inc !== 'None' && inc !== 'Metadata' && inc !== 'Object') {
    throw errors.badRequest(`Invalid value: "${inc}": must be one of "None", "Metadata" or "Object"`);
  }
  return { version: req.tableVersion, includeObject: inc };
}

function row(printer: Printer, s: Stored, rowObject: (s: Stored) => unknown): Obj {
  const r: Obj = { cells: printer.cells(s.obj) };
  const object = rowObject(s);
  if (object !== undefined) r.object = object;
  return r;
}

export function tableOf(
  rt: ResourceType,
  items: Stored[],
  listMeta: Obj,
  withColumns = true,
  opts: TableOptions = {},
): string {
  const printer = printerFor(rt);
  const apiVersion = `meta.k8s.io/${opts.version ?? 'v1'}`;
  const include = opts.includeObject ?? 'Metadata';
  const rowObject =
    include === 'None'
      ? () => undefined
      : include === 'Object'
        ? (s: Stored) => (rt.custom ? JSON.parse(viewJson(rt, s)) : s.obj)
        : (s: Stored) => ({ kind: 'PartialObjectMetadata', apiVersion, metadata: s.obj.metadata });
  return JSON.stringify({
    kind: 'Table',
    apiVersion,
    metadata: listMeta,
    columnDefinitions: withColumns ? printer.columns : null,
    rows: items.map((s) => row(printer, s, rowObject)),
  });
}

export function partialObjectMetadata(s: Stored): string {
  return `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(s.obj.metadata)}}`;
}

export function partialObjectMetadataList(items: Stored[], listMeta: Obj): string {
  return `{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(listMeta)},"items":[${items.map(partialObjectMetadata).join(',')}]}`;
}
