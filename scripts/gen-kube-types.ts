/**
 * Generates src/cluster/types/generated.ts, the project-owned description of the built-in
 * Kubernetes types (fields, JSON names, protobuf numbers and types, short descriptions, required
 * fields, patch strategies), and src/cluster/testdata/kube-1.28.binpb.gz, the raw descriptor set
 * the tests decode protobuf with (an independent decoder), plus src/cluster/testdata/openapiv2.binpb
 * (gnostic's OpenAPIv2.proto descriptor, for the /openapi/v2 protobuf test).
 *
 * Sources, all real Kubernetes v1.28 definitions available on this machine:
 * - the gzipped FileDescriptorProtos of k8s.io/api/* and apimachinery generated.proto that every
 *   client-go v0.28 binary embeds (read from kubectl 1.28; apiextensions from another Go binary
 *   that links k8s.io/apiextensions-apiserver);
 * - the Go struct tags (json, patchStrategy, patchMergeKey, protobuf) also stored in that binary;
 * - descriptions and required fields from @kubernetes/client-node's models (generated from
 *   Kubernetes' OpenAPI spec).
 *
 * Usage: npx tsx scripts/gen-kube-types.ts [KUBECTL_1_28] [APIEXTENSIONS_BINARY]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  FieldDescriptorProto_Type as T,
  FieldDescriptorProto_Label as L,
  type FileDescriptorProto,
  type DescriptorProto,
} from '@bufbuild/protobuf/wkt';

const root = path.resolve(import.meta.dirname, '..');
const kubectlDir = path.dirname(fs.realpathSync(execFileSync('which', ['kubectl']).toString().trim()));
const kubectlBin = process.argv[2] ?? path.join(kubectlDir, 'kubectl.1.28');
const apiextBin = process.argv[3] ?? path.join(kubectlDir, 'anthoscli');

/** Packages whose messages the table describes (the served versions of v1.28 plus apimachinery). */
const wanted = [
  'api/core/v1',
  'api/apps/v1',
  'api/batch/v1',
  'api/networking/v1',
  'api/policy/v1',
  'api/rbac/v1',
  'api/autoscaling/v1',
  'api/autoscaling/v2',
  'api/coordination/v1',
  'api/discovery/v1',
  'api/events/v1',
  'api/storage/v1',
  'api/scheduling/v1',
  'api/node/v1',
  'api/certificates/v1',
  'api/admissionregistration/v1',
  'api/flowcontrol/v1beta3',
  'api/flowcontrol/v1beta2',
  'api/authentication/v1',
  'api/authorization/v1',
  'apimachinery/pkg/apis/meta/v1',
  'apimachinery/pkg/runtime',
  'apimachinery/pkg/runtime/schema',
  'apimachinery/pkg/util/intstr',
  'apimachinery/pkg/api/resource',
  'apiextensions-apiserver/pkg/apis/apiextensions/v1',
];

function descriptorsOf(file: string): FileDescriptorProto[] {
  const bin = fs.readFileSync(file);
  const sig = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]);
  const out: FileDescriptorProto[] = [];
  for (let i = bin.indexOf(sig); i >= 0; i = bin.indexOf(sig, i + 1)) {
    let raw: Buffer;
    try {
      raw = zlib.gunzipSync(bin.subarray(i, i + 4_000_000), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      continue;
    }
    try {
      const fd = fromBinary(FileDescriptorProtoSchema, raw);
      if (fd.name.endsWith('generated.proto')) out.push(fd);
    } catch {
      /* not a descriptor */
    }
  }
  return out;
}

/** `k8s.io/kubernetes/vendor/k8s.io/api/core/v1/generated.proto` → `api/core/v1`. */
function shortName(name: string): string {
  return name
    .replace(/^.*?k8s\.io\//, '')
    .replace(/^kubernetes\/vendor\/k8s\.io\//, '')
    .replace(/\/generated\.proto$/, '');
}

const all = new Map<string, FileDescriptorProto>();
for (const fd of descriptorsOf(kubectlBin)) all.set(shortName(fd.name), fd);
for (const fd of descriptorsOf(apiextBin)) {
  const s = shortName(fd.name);
  if (s.startsWith('apiextensions-apiserver/')) all.set(s, fd);
}
for (const w of wanted) if (!all.has(w)) throw new Error(`descriptor for ${w} not found`);

// --- Go struct tags: patch strategies keyed by the protobuf tag (json name, number, wire type).
const tagText = fs.readFileSync(kubectlBin).toString('latin1');
const patchByProtoTag = new Map<string, Set<string>>();
for (const m of tagText.matchAll(/json:"([^"]*)"((?: [a-zA-Z]+:"[^"]*")*)/g)) {
  const tags = Object.fromEntries([...m[2]!.matchAll(/([a-zA-Z]+):"([^"]*)"/g)].map((x) => [x[1], x[2]]));
  if (!tags.protobuf) continue;
  const key = tags.protobuf
    .split(',')
    .filter(
      (p: string) => !p.startsWith('casttype') && !p.startsWith('castkey') && !p.startsWith('castvalue'),
    )
    .join(',');
  const val = tags.patchStrategy ? `${tags.patchStrategy}|${tags.patchMergeKey ?? ''}` : '';
  const set = patchByProtoTag.get(key) ?? new Set<string>();
  set.add(val);
  patchByProtoTag.set(key, set);
}

// --- client-node models: descriptions and required fields.
const modelsDir = path.join(root, 'node_modules/@kubernetes/client-node/dist/gen/models');
interface Model {
  description: string;
  fields: Map<string, { description: string; required: boolean }>;
}
function readModel(cls: string): Model | undefined {
  const f = path.join(modelsDir, `${cls}.d.ts`);
  if (!fs.existsSync(f)) return undefined;
  const text = fs.readFileSync(f, 'utf8');
  const unescape = (s: string) =>
    s
      .replace(/\\(['"])/g, '$1')
      .replace(/\s*\n\s*\*?\s?/g, ' ')
      .trim();
  const classDoc = /\/\*\*\n\* ([\s\S]*?)\n\*\/\nexport declare class/.exec(text);
  const fields = new Map<string, { description: string; required: boolean }>();
  const body = text.slice(text.indexOf('export declare class'));
  for (const m of body.matchAll(/(?:\/\*\*\n\s*\* ([\s\S]*?)\n\s*\*\/\n)?\s*'([^']+)'(\?)?:/g)) {
    fields.set(m[2]!, { description: m[1] ? unescape(m[1]) : '', required: !m[3] });
  }
  return { description: classDoc ? unescape(classDoc[1]!) : '', fields };
}

/** First sentence, as `kubectl explain` users need it; the full text lives upstream. */
function short(d: string): string {
  if (!d) return '';
  let s = d;
  const m = /^(.*?[a-z0-9)\]"'`]\.)(\s+[A-Z]|$)/.exec(d);
  if (m) s = m[1]!;
  if (s.length > 200) s = s.slice(0, 197).replace(/\s+\S*$/, '') + '...';
  return s;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function modelFor(pkgShort: string, name: string): Model | undefined {
  const parts = pkgShort.split('/');
  const version = parts[parts.length - 1]!;
  const group = pkgShort.startsWith('api/')
    ? parts[1]!
    : pkgShort.startsWith('apiextensions')
      ? 'apiextensions'
      : '';
  const candidates = [
    group ? `${cap(group)}${cap(version)}${name}` : '',
    /^v\d/.test(version) ? `${cap(version)}${name}` : '',
    pkgShort.includes('intstr') || pkgShort.includes('resource') || pkgShort.endsWith('runtime') ? '' : '',
  ].filter(Boolean);
  for (const c of candidates) {
    const m = readModel(c);
    if (m) return m;
  }
  return undefined;
}

/** `.k8s.io.api.core.v1.PodSpec` → `io.k8s.api.core.v1.PodSpec` (the OpenAPI definition name). */
export function defName(protoName: string): string {
  return protoName
    .replace(/^\./, '')
    .replace(/^k8s\.io\./, 'io.k8s.')
    .replace('apiextensions_apiserver', 'apiextensions-apiserver');
}

import type { FieldExtra, FieldTuple } from '../src/cluster/types/table-types.js';
interface MessageOut {
  d: string;
  f: FieldTuple[];
  t?: 1;
}

const scalar: Partial<Record<T, string>> = {
  [T.STRING]: 'string',
  [T.BYTES]: 'bytes',
  [T.BOOL]: 'bool',
  [T.INT32]: 'int32',
  [T.INT64]: 'int64',
  [T.DOUBLE]: 'double',
  [T.FLOAT]: 'float',
  [T.UINT32]: 'uint32',
  [T.UINT64]: 'uint64',
};

/**
 * Facts the binary cannot settle, from Kubernetes' types.go markers: patch strategies where two
 * structs share a protobuf tag, list-map keys (+listType=map) of the kinds users create, and the
 * v1.28 ValidationRule fields the older apiextensions descriptor lacks.
 */
const patchOverrides: Record<string, FieldExtra | null> = {
  'io.k8s.api.core.v1.ReplicationControllerStatus.conditions': {
    patchStrategy: 'merge',
    patchMergeKey: 'type',
  },
  'io.k8s.api.core.v1.ServiceSpec.ports': {
    patchStrategy: 'merge',
    patchMergeKey: 'port',
    listType: 'map',
    listMapKeys: ['port', 'protocol'],
  },
  'io.k8s.api.apps.v1.DeploymentStatus.conditions': { patchStrategy: 'merge', patchMergeKey: 'type' },
  'io.k8s.api.apps.v1.ReplicaSetStatus.conditions': { patchStrategy: 'merge', patchMergeKey: 'type' },
  'io.k8s.api.batch.v1.JobStatus.conditions': {
    patchStrategy: 'merge',
    patchMergeKey: 'type',
    listType: 'atomic',
  },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus.conditions': {
    patchStrategy: 'merge',
    patchMergeKey: 'type',
    listType: 'map',
    listMapKeys: ['type'],
  },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec.selector': { patchStrategy: 'replace' },
  'io.k8s.api.flowcontrol.v1beta3.FlowSchemaStatus.conditions': { listType: 'map', listMapKeys: ['type'] },
  'io.k8s.api.flowcontrol.v1beta3.PriorityLevelConfigurationStatus.conditions': {
    listType: 'map',
    listMapKeys: ['type'],
  },
  'io.k8s.api.flowcontrol.v1beta2.FlowSchemaStatus.conditions': { listType: 'map', listMapKeys: ['type'] },
  'io.k8s.api.flowcontrol.v1beta2.PriorityLevelConfigurationStatus.conditions': {
    listType: 'map',
    listMapKeys: ['type'],
  },
  'io.k8s.api.certificates.v1.CertificateSigningRequestStatus.conditions': {
    listType: 'map',
    listMapKeys: ['type'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus.conditions': {
    listType: 'map',
    listMapKeys: ['type'],
  },
  // Overrides replace the binary's patch facts, so these carry their types.go patch tags as well.
  'io.k8s.api.core.v1.Container.ports': {
    patchStrategy: 'merge',
    patchMergeKey: 'containerPort',
    listType: 'map',
    listMapKeys: ['containerPort', 'protocol'],
  },
  'io.k8s.api.core.v1.PodSpec.topologySpreadConstraints': {
    patchStrategy: 'merge',
    patchMergeKey: 'topologyKey',
    listType: 'map',
    listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
  },
  'io.k8s.api.core.v1.PodSpec.resourceClaims': {
    patchStrategy: 'merge,retainKeys',
    patchMergeKey: 'name',
    listType: 'map',
    listMapKeys: ['name'],
  },
  'io.k8s.api.core.v1.PodSpec.schedulingGates': {
    patchStrategy: 'merge',
    patchMergeKey: 'name',
    listType: 'map',
    listMapKeys: ['name'],
  },
  'io.k8s.api.core.v1.PodStatus.resourceClaimStatuses': {
    patchStrategy: 'merge,retainKeys',
    patchMergeKey: 'name',
    listType: 'map',
    listMapKeys: ['name'],
  },
  // No patch strategy (the shared tag belongs to another struct).
  'io.k8s.api.apps.v1.DeploymentSpec.selector': null,
  'io.k8s.api.apps.v1.ReplicaSetSpec.selector': null,
  'io.k8s.api.apps.v1.StatefulSetSpec.selector': null,
  'io.k8s.api.networking.v1.NetworkPolicyEgressRule.ports': null,
  'io.k8s.api.networking.v1.NetworkPolicyIngressRule.ports': null,
  'io.k8s.api.autoscaling.v1.ScaleStatus.selector': null,
  'io.k8s.api.autoscaling.v2.MetricIdentifier.selector': null,
};
const extraFields: Record<string, FieldTuple[]> = {
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ValidationRule': [
    [
      'messageExpression',
      3,
      'string',
      'MessageExpression declares a CEL expression that evaluates to the validation failure message.',
    ],
    ['reason', 4, 'string', 'reason provides a machine-readable validation failure reason.'],
    ['fieldPath', 5, 'string', 'fieldPath represents the field path returned when the validation fails.'],
  ],
};
/** Go JSON names that differ from the protobuf field names (apiextensions JSONSchemaProps). */
function jsonName(msg: string, name: string): string {
  if (!msg.endsWith('.JSONSchemaProps')) return name;
  if (name === 'ref' || name === 'schema') return `$${name}`;
  if (name.startsWith('xKubernetes')) return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return name;
}

const out: Record<string, MessageOut> = {};
const ambiguous: string[] = [];

function wireOf(t: T): string {
  if (t === T.STRING || t === T.BYTES || t === T.MESSAGE) return 'bytes';
  if (t === T.DOUBLE) return 'fixed64';
  return 'varint';
}

function fieldType(msg: DescriptorProto, f: DescriptorProto['field'][number]): string {
  if (f.type === T.MESSAGE) {
    const nested = msg.nestedType.find((n) => f.typeName.endsWith(`.${msg.name}.${n.name}`));
    if (nested?.options?.mapEntry) {
      const v = nested.field[1]!;
      const vt = v.type === T.MESSAGE ? defName(v.typeName) : scalar[v.type]!;
      return `map:${vt}`;
    }
    const t = defName(f.typeName);
    return f.label === L.REPEATED ? `[]${t}` : t;
  }
  const s = scalar[f.type];
  if (!s) throw new Error(`unsupported type ${f.type} of ${msg.name}.${f.name}`);
  return f.label === L.REPEATED ? `[]${s}` : s;
}

for (const pkgShort of wanted) {
  const fd = all.get(pkgShort)!;
  for (const msg of fd.messageType) {
    const full = defName(`${fd.package}.${msg.name}`);
    const model = modelFor(pkgShort, msg.name);
    const fields: FieldTuple[] = [];
    for (const f of msg.field) {
      const type = fieldType(msg, f);
      const mf = model?.fields.get(f.name);
      const extra: FieldExtra = {};
      if (mf?.required && f.name !== 'apiVersion' && f.name !== 'kind') extra.required = 1;
      const isRep = f.label === L.REPEATED;
      const protoTag = `${wireOf(f.type)},${f.number},${isRep ? 'rep' : 'opt'},name=${f.name}`;
      const ps = patchByProtoTag.get(protoTag);
      if (ps) {
        const vals = [...ps];
        const nonEmpty = vals.filter(Boolean);
        if (nonEmpty.length === 1 && vals.length === 1) {
          const [strategy, key] = nonEmpty[0]!.split('|');
          extra.patchStrategy = strategy;
          if (key) extra.patchMergeKey = key;
        } else if (nonEmpty.length && patchOverrides[`${full}.${f.name}`] === undefined)
          ambiguous.push(`${full}.${f.name} ${protoTag} ${vals.join(' / ')}`);
      }
      const over = patchOverrides[`${full}.${f.name}`];
      if (over !== undefined) {
        delete extra.patchStrategy;
        delete extra.patchMergeKey;
        Object.assign(extra, over);
      } else if (!extra.patchStrategy && ps && [...ps].some(Boolean))
        throw new Error(`unresolved patch strategy ${full}.${f.name}`);
      const jn = jsonName(full, f.name);
      const t: FieldTuple = [
        jn,
        f.number,
        type,
        short(mf?.description ?? model?.fields.get(jn)?.description ?? ''),
      ];
      if (Object.keys(extra).length) t.push(extra);
      fields.push(t);
    }
    fields.push(...(extraFields[full] ?? []));
    const def: MessageOut = { d: short(model?.description ?? ''), f: fields };
    // Kinds carry TypeMeta (apiVersion, kind) in JSON, which protobuf messages leave out.
    if (model?.fields.has('apiVersion') && model.fields.has('kind')) def.t = 1;
    out[full] = def;
  }
}

// Descriptor set for the tests' independent protobuf decoder (only the files the table covers).
// gogo.proto options carry nothing a decoder needs: drop the import so the set is self-contained.
const keep = new Set(wanted);
// File names are normalised to `k8s.io/<pkg>/generated.proto` (imports use that form).
for (const [k, fd] of all) {
  if (!keep.has(k)) continue;
  fd.name = `k8s.io/${k}/generated.proto`;
  fd.dependency = fd.dependency
    .filter((d) => !d.includes('gogo.proto'))
    .map((d) => `k8s.io/${shortName(d)}/generated.proto`);
}
// Dependencies first (registries resolve imports in order).
const ordered: FileDescriptorProto[] = [];
const visit = (fd: FileDescriptorProto): void => {
  if (ordered.includes(fd)) return;
  for (const d of fd.dependency) {
    const dep = all.get(shortName(d));
    if (dep) visit(dep);
  }
  ordered.push(fd);
};
for (const [k, fd] of all) if (keep.has(k)) visit(fd);
const set = create(FileDescriptorSetSchema, { file: ordered });
fs.writeFileSync(
  path.join(root, 'src/cluster/testdata/kube-1.28.binpb.gz'),
  zlib.gzipSync(toBinary(FileDescriptorSetSchema, set), { level: 9 }),
);

// gnostic's OpenAPIv2.proto (what /openapi/v2 speaks in protobuf): golang/protobuf v2 keeps the raw,
// uncompressed FileDescriptorProto; its top-level fields run until the first implausible tag.
{
  const bin = fs.readFileSync(kubectlBin);
  const start = bin.indexOf(Buffer.from('\n\x19openapiv2/OpenAPIv2.proto', 'latin1'));
  if (start < 0) throw new Error('openapiv2/OpenAPIv2.proto descriptor not found');
  let p = start;
  const varint = (): number => {
    let r = 0;
    for (let s = 0; ; s += 7) {
      const b = bin[p++]!;
      r += (b & 0x7f) * 2 ** s;
      if (b < 0x80) return r;
    }
  };
  for (;;) {
    const save = p;
    const t = varint();
    const f = Math.floor(t / 8);
    const w = t & 7;
    if (f < 1 || f > 12 || (w !== 2 && w !== 0)) {
      p = save;
      break;
    }
    const n = varint();
    if (w === 2) p += n;
  }
  const raw = bin.subarray(start, p);
  fromBinary(FileDescriptorProtoSchema, raw); // must parse
  fs.writeFileSync(path.join(root, 'src/cluster/testdata/openapiv2.binpb'), raw);
}

const header = `/**
 * GENERATED by scripts/gen-kube-types.ts — do not edit by hand.
 *
 * The built-in Kubernetes v1.28 types: for each message (named like its OpenAPI definition), a short
 * description and its fields as [jsonName, protobufNumber, type, description, extra?]. Types are
 * protobuf scalars (string, int32, int64, bool, bytes, double), a definition name, \`[]T\` for lists
 * and \`map:T\` for string-keyed maps. extra: required, patchStrategy, patchMergeKey, listType,
 * listMapKeys. t: the kind has TypeMeta (apiVersion, kind) in JSON.
 */
import type { MessageTable } from './table-types.js';

export const generatedTypes: MessageTable = `;
const lines = Object.entries(out)
  .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
fs.writeFileSync(path.join(root, 'src/cluster/types/generated.ts'), `${header}{\n${lines.join('\n')}\n};\n`);
process.stderr.write(
  `${Object.keys(out).length} messages; ${ambiguous.length} ambiguous patch strategies:\n${ambiguous.join('\n')}\n`,
);
