/**
 * Strategic merge patch for the built-in kinds: lists with a patch merge key merge element-wise
 * (new elements first, like the real server), `$patch: delete|replace`, `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>` directives.
 */
import type { ResourceType } from './resources.js';
import { ApiError } from './status.js';

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Field name → merge key of the built-in types (from the Go struct tags). */
const mergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  ports: '', // containerPort for containers, port for services: resolved below
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  tolerations: '',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  secrets: 'name',
  taints: 'key',
  addresses: 'type',
  resourceClaims: 'name',
};

/** Primitive lists with merge semantics (set-like). */
const mergePrimitives = new Set(['finalizers']);

function keyFor(field: string, items: Json[]): string | undefined {
  if (!(field in mergeKeys)) return undefined;
  const k = mergeKeys[field]!;
  if (k) return k;
  if (field === 'ports') {
    const first = items.find(isObj);
    if (first && 'containerPort' in first) return 'containerPort';
    return 'port';
  }
  return undefined;
}

function mergeList(field: string, orig: Json[], patch: Json[]): Json[] {
  if (mergePrimitives.has(field) && patch.every((x) => !isObj(x))) {
    const out = [...orig];
    for (const x of patch) if (!out.includes(x)) out.push(x);
    return out;
  }
  const key = keyFor(field, [...patch, ...orig]);
  if (!key) {
    // `$patch: replace` marker inside a list, or plain atomic list.
    return patch.filter((x) => !(isObj(x) && x.$patch === 'replace'));
  }
  const out = orig.map((x) => x);
  const added: Json[] = [];
  for (const item of patch) {
    if (!isObj(item)) {
      added.push(item);
      continue;
    }
    if (!(key in item)) {
      if (item.$patch === 'replace') return [];
      throw new ApiError(500, undefined, `map: ${goMap(item)} does not contain declared merge key: ${key}`);
    }
    const idx = out.findIndex((o) => isObj(o) && o[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = mergeObject(out[idx], item);
    else added.push(stripDirectives(item));
  }
  return [...added, ...out];
}

function goMap(o: Record<string, Json>): string {
  return `map[${Object.entries(o)
    .map(([k, v]) => `${k}:${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ')}]`;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObj(v)) return v;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}

function mergeObject(orig: Json, patch: Record<string, Json>): Json {
  if (patch.$patch === 'replace') return stripDirectives({ ...patch, $patch: undefined });
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, Json> = isObj(orig) ? { ...orig } : {};
  const retain = Array.isArray(patch.$retainKeys) ? new Set(patch.$retainKeys as string[]) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f]) && Array.isArray(v))
        out[f] = (out[f] as Json[]).filter((x) => !v.includes(x));
      continue;
    }
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    const cur = out[k];
    if (Array.isArray(v)) out[k] = mergeList(k, Array.isArray(cur) ? cur : [], v);
    else if (isObj(v)) {
      const m = mergeObject(cur, v);
      if (m === undefined) delete out[k];
      else out[k] = m;
    } else out[k] = v;
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.has(k)) delete out[k];
  return out;
}

export function strategicMergePatch(_rt: ResourceType, target: Json, patch: Record<string, Json>): Json {
  return mergeObject(target, patch);
}
