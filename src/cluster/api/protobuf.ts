/**
 * Decoding of `application/vnd.kubernetes.protobuf` request bodies for the built-in kinds typed
 * clients create (kubectl 1.33 `create configmap|secret|namespace|serviceaccount` sends protobuf).
 * Responses are always JSON, which every client accepts. Field numbers are those of
 * k8s.io/api generated.proto files.
 */
import { errors } from './status.js';

type Obj = Record<string, unknown>;

class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end = buf.length,
  ) {}

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.end) throw new Error('truncated field');
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }

  *fields(): Generator<[number, number]> {
    while (this.pos < this.end) {
      const tag = this.varint();
      yield [Math.floor(tag / 8), tag & 7];
    }
  }
}

const utf8 = new TextDecoder();
const str = (r: Reader) => utf8.decode(r.bytes());

type FieldSpec =
  | { name: string; kind: 'string' | 'bytes' | 'int' | 'bool'; ptr?: true }
  | { name: string; kind: 'message'; msg: MessageSpec }
  | { name: string; kind: 'map'; value: 'string' | 'bytes' }
  | { name: string; kind: 'repeatedString' }
  | { name: string; kind: 'repeatedMessage'; msg: MessageSpec }
  | { name: string; kind: 'time' };
type MessageSpec = Record<number, FieldSpec>;

function decodeMessage(buf: Uint8Array, spec: MessageSpec): Obj {
  const r = new Reader(buf);
  const out: Obj = {};
  for (const [num, wire] of r.fields()) {
    const f = spec[num];
    if (!f) {
      r.skip(wire);
      continue;
    }
    switch (f.kind) {
      // Go's JSON omits empty strings and zero non-pointer numbers/bools (omitempty); proto2
      // encodes them anyway, so drop them here to get the same object as a JSON client would send.
      case 'string': {
        const v = str(r);
        if (v !== '') out[f.name] = v;
        break;
      }
      case 'bytes':
        out[f.name] = Buffer.from(r.bytes()).toString('base64');
        break;
      case 'int': {
        const v = r.varint();
        if (v !== 0 || f.ptr) out[f.name] = v;
        break;
      }
      case 'bool': {
        const v = r.varint() !== 0;
        if (v || f.ptr) out[f.name] = v;
        break;
      }
      case 'message':
        out[f.name] = decodeMessage(r.bytes(), f.msg);
        break;
      case 'time': {
        const t = decodeMessage(r.bytes(), { 1: { name: 'seconds', kind: 'int' } });
        out[f.name] = new Date(((t.seconds as number) ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        break;
      }
      case 'repeatedString':
        ((out[f.name] ??= []) as string[]).push(str(r));
        break;
      case 'repeatedMessage':
        ((out[f.name] ??= []) as Obj[]).push(decodeMessage(r.bytes(), f.msg));
        break;
      case 'map': {
        const entry = new Reader(r.bytes());
        let k = '';
        let v: string = '';
        for (const [n, w] of entry.fields()) {
          if (n === 1) k = str(entry);
          else if (n === 2)
            v = f.value === 'string' ? str(entry) : Buffer.from(entry.bytes()).toString('base64');
          else entry.skip(w);
        }
        ((out[f.name] ??= {}) as Obj)[k] = v;
        break;
      }
    }
  }
  return out;
}

const ownerReference: MessageSpec = {
  1: { name: 'kind', kind: 'string' },
  3: { name: 'name', kind: 'string' },
  4: { name: 'uid', kind: 'string' },
  5: { name: 'apiVersion', kind: 'string' },
  6: { name: 'controller', kind: 'bool', ptr: true },
  7: { name: 'blockOwnerDeletion', kind: 'bool', ptr: true },
};

const objectMeta: MessageSpec = {
  1: { name: 'name', kind: 'string' },
  2: { name: 'generateName', kind: 'string' },
  3: { name: 'namespace', kind: 'string' },
  5: { name: 'uid', kind: 'string' },
  6: { name: 'resourceVersion', kind: 'string' },
  7: { name: 'generation', kind: 'int' },
  11: { name: 'labels', kind: 'map', value: 'string' },
  12: { name: 'annotations', kind: 'map', value: 'string' },
  13: { name: 'ownerReferences', kind: 'repeatedMessage', msg: ownerReference },
  14: { name: 'finalizers', kind: 'repeatedString' },
};

const localObjectReference: MessageSpec = { 1: { name: 'name', kind: 'string' } };
const objectReference: MessageSpec = {
  1: { name: 'kind', kind: 'string' },
  2: { name: 'namespace', kind: 'string' },
  3: { name: 'name', kind: 'string' },
  4: { name: 'uid', kind: 'string' },
  5: { name: 'apiVersion', kind: 'string' },
  6: { name: 'resourceVersion', kind: 'string' },
  7: { name: 'fieldPath', kind: 'string' },
};

const labelSelector: MessageSpec = {
  1: { name: 'matchLabels', kind: 'map', value: 'string' },
  2: {
    name: 'matchExpressions',
    kind: 'repeatedMessage',
    msg: {
      1: { name: 'key', kind: 'string' },
      2: { name: 'operator', kind: 'string' },
      3: { name: 'values', kind: 'repeatedString' },
    },
  },
};
const quantityMap = { name: '', kind: 'map', value: 'string' } as const;
const resources: MessageSpec = {
  1: { ...quantityMap, name: 'limits' },
  2: { ...quantityMap, name: 'requests' },
};
const container: MessageSpec = {
  1: { name: 'name', kind: 'string' },
  2: { name: 'image', kind: 'string' },
  3: { name: 'command', kind: 'repeatedString' },
  4: { name: 'args', kind: 'repeatedString' },
  5: { name: 'workingDir', kind: 'string' },
  6: {
    name: 'ports',
    kind: 'repeatedMessage',
    msg: {
      1: { name: 'name', kind: 'string' },
      2: { name: 'hostPort', kind: 'int' },
      3: { name: 'containerPort', kind: 'int' },
      4: { name: 'protocol', kind: 'string' },
    },
  },
  7: {
    name: 'env',
    kind: 'repeatedMessage',
    msg: { 1: { name: 'name', kind: 'string' }, 2: { name: 'value', kind: 'string' } },
  },
  8: { name: 'resources', kind: 'message', msg: resources },
  13: { name: 'terminationMessagePath', kind: 'string' },
  14: { name: 'imagePullPolicy', kind: 'string' },
  20: { name: 'terminationMessagePolicy', kind: 'string' },
};
const podSpec: MessageSpec = {
  2: { name: 'containers', kind: 'repeatedMessage', msg: container },
  3: { name: 'restartPolicy', kind: 'string' },
  4: { name: 'terminationGracePeriodSeconds', kind: 'int', ptr: true },
  6: { name: 'dnsPolicy', kind: 'string' },
  7: { name: 'nodeSelector', kind: 'map', value: 'string' },
  8: { name: 'serviceAccountName', kind: 'string' },
  10: { name: 'nodeName', kind: 'string' },
  20: { name: 'initContainers', kind: 'repeatedMessage', msg: container },
  19: { name: 'schedulerName', kind: 'string' },
};
const podTemplateSpec: MessageSpec = {
  1: { name: 'metadata', kind: 'message', msg: objectMeta },
  2: { name: 'spec', kind: 'message', msg: podSpec },
};

const kinds: Record<string, MessageSpec> = {
  Pod: {
    1: { name: 'metadata', kind: 'message', msg: objectMeta },
    2: { name: 'spec', kind: 'message', msg: podSpec },
  },
  Deployment: {
    1: { name: 'metadata', kind: 'message', msg: objectMeta },
    2: {
      name: 'spec',
      kind: 'message',
      msg: {
        1: { name: 'replicas', kind: 'int', ptr: true },
        2: { name: 'selector', kind: 'message', msg: labelSelector },
        3: { name: 'template', kind: 'message', msg: podTemplateSpec },
        5: { name: 'minReadySeconds', kind: 'int' },
        6: { name: 'revisionHistoryLimit', kind: 'int', ptr: true },
        7: { name: 'paused', kind: 'bool' },
        9: { name: 'progressDeadlineSeconds', kind: 'int', ptr: true },
      },
    },
  },
  ConfigMap: {
    1: { name: 'metadata', kind: 'message', msg: objectMeta },
    2: { name: 'data', kind: 'map', value: 'string' },
    3: { name: 'binaryData', kind: 'map', value: 'bytes' },
    4: { name: 'immutable', kind: 'bool', ptr: true },
  },
  Secret: {
    1: { name: 'metadata', kind: 'message', msg: objectMeta },
    2: { name: 'data', kind: 'map', value: 'bytes' },
    3: { name: 'type', kind: 'string' },
    4: { name: 'stringData', kind: 'map', value: 'string' },
    5: { name: 'immutable', kind: 'bool', ptr: true },
  },
  Namespace: {
    1: { name: 'metadata', kind: 'message', msg: objectMeta },
    2: { name: 'spec', kind: 'message', msg: { 1: { name: 'finalizers', kind: 'repeatedString' } } },
  },
  ServiceAccount: {
    1: { name: 'metadata', kind: 'message', msg: objectMeta },
    2: { name: 'secrets', kind: 'repeatedMessage', msg: objectReference },
    3: { name: 'imagePullSecrets', kind: 'repeatedMessage', msg: localObjectReference },
    4: { name: 'automountServiceAccountToken', kind: 'bool', ptr: true },
  },
};

// The self-review APIs (kubectl auth can-i / whoami send these as protobuf since 1.32).
const resourceAttributes: MessageSpec = Object.fromEntries(
  ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'].map((name, i) => [
    i + 1,
    { name, kind: 'string' },
  ]),
);
Object.assign(kinds, {
  SelfSubjectAccessReview: {
    1: { name: 'metadata', kind: 'message', msg: objectMeta },
    2: {
      name: 'spec',
      kind: 'message',
      msg: {
        1: { name: 'resourceAttributes', kind: 'message', msg: resourceAttributes },
        2: {
          name: 'nonResourceAttributes',
          kind: 'message',
          msg: { 1: { name: 'path', kind: 'string' }, 2: { name: 'verb', kind: 'string' } },
        },
      },
    },
  },
  SelfSubjectRulesReview: {
    1: { name: 'metadata', kind: 'message', msg: objectMeta },
    2: { name: 'spec', kind: 'message', msg: { 1: { name: 'namespace', kind: 'string' } } },
  },
  SelfSubjectReview: { 1: { name: 'metadata', kind: 'message', msg: objectMeta } },
} satisfies Record<string, MessageSpec>);

const magic = [0x6b, 0x38, 0x73, 0x00];

/** Decodes a protobuf body into the JSON object shape; 415 for kinds without a decoder. */
export function decodeProtobuf(buf: Buffer, expectedKind: string): Obj {
  if (buf.length < 4 || magic.some((b, i) => buf[i] !== b)) {
    throw errors.badRequest(
      `the object provided is unrecognized (must be of type ${expectedKind}): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]`,
    );
  }
  let unknown: Obj;
  try {
    unknown = decodeMessage(buf.subarray(4), {
      1: {
        name: 'typeMeta',
        kind: 'message',
        msg: { 1: { name: 'apiVersion', kind: 'string' }, 2: { name: 'kind', kind: 'string' } },
      },
      2: { name: 'raw', kind: 'bytes' },
    });
  } catch (e) {
    throw errors.badRequest(
      `the object provided is unrecognized (must be of type ${expectedKind}): ${(e as Error).message}`,
    );
  }
  const tm = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const kind = tm.kind || expectedKind;
  const spec = kinds[kind];
  if (!spec) {
    throw errors.unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (kubeperf decodes protobuf only for ${Object.keys(kinds).join(', ')})`,
    );
  }
  try {
    const raw = Buffer.from((unknown.raw as string | undefined) ?? '', 'base64');
    const obj = decodeMessage(raw, spec);
    return { kind, apiVersion: tm.apiVersion || 'v1', ...obj };
  } catch (e) {
    throw errors.badRequest(
      `the object provided is unrecognized (must be of type ${expectedKind}): ${(e as Error).message}`,
    );
  }
}
