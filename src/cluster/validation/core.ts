/**
 * Core kinds without a spec of their own to speak of (pkg/apis/core/validation): ConfigMaps and
 * Secrets (keys, the 1 MiB limit, immutability, typed secrets), Namespaces, Endpoints, Events.
 */
import {
  child,
  eachInvalid,
  forbidden,
  index,
  notSupported,
  invalid,
  key,
  required,
  tooLong,
  type ErrorList,
} from './field.js';
import {
  builtinMeta,
  fieldImmutable,
  validateFinalizerName,
  validateMetaUpdate,
  validateObjectMeta,
} from './meta.js';
import {
  byteLength,
  isConfigMapKey,
  isDNS1123Label,
  isQualifiedName,
  isValidIP,
  isValidPortNum,
  validateNamespaceName,
} from './names.js';
import { jsonEqual } from '../api/objects.js';
import { errors } from '../api/status.js';
import { parseQuantity, quantityText } from './quantity.js';
import type { KindValidator } from './kind.js';
import { isObj, type Obj, specOf } from './values.js';

/** core.MaxSecretSize: the data of a ConfigMap or Secret. */
export const maxDataSize = 1024 * 1024;

const decodedLength = (b64: unknown): number => {
  const s = typeof b64 === 'string' ? b64 : '';
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.floor((s.length * 3) / 4) - pad;
};

const immutableSet = 'field is immutable when `immutable` is set';

function validateConfigMap(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  let size = 0;
  const data = isObj(o.data) ? o.data : {};
  const binary = isObj(o.binaryData) ? o.binaryData : {};
  for (const [k, v] of Object.entries(data)) {
    errs.push(...isConfigMapKey(k).map((m) => invalid(key('data', k), k, m)));
    if (k in binary) errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    size += byteLength(String(v));
  }
  for (const [k, v] of Object.entries(binary)) {
    errs.push(...isConfigMapKey(k).map((m) => invalid(key('binaryData', k), k, m)));
    size += decodedLength(v);
  }
  // The path of the whole object is field.NewPath(""), which prints as "[]".
  if (size > maxDataSize) errs.push(tooLong('[]', maxDataSize));
  return errs;
}

export const configMaps: KindValidator = {
  create: validateConfigMap,
  update(o, old) {
    const errs = validateMetaUpdate(o, old);
    if (old.immutable === true) {
      if (o.immutable !== true) errs.push(forbidden('immutable', immutableSet));
      if (!jsonEqual(o.data ?? {}, old.data ?? {})) errs.push(forbidden('data', immutableSet));
      if (!jsonEqual(o.binaryData ?? {}, old.binaryData ?? {}))
        errs.push(forbidden('binaryData', immutableSet));
    }
    return errs.concat(validateConfigMap(o));
  },
};

function jsonError(b64: unknown): string | undefined {
  const text = Buffer.from(typeof b64 === 'string' ? b64 : '', 'base64').toString('utf8');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    const bad = text.trim();
    return bad
      ? `invalid character '${bad[0]}' looking for beginning of value`
      : 'unexpected end of JSON input';
  }
  if (!isObj(v)) {
    const t = Array.isArray(v) ? 'array' : v === null ? undefined : typeof v;
    return t ? `json: cannot unmarshal ${t} into Go value of type map[string]interface {}` : undefined;
  }
  return undefined;
}

function validateSecret(o: Obj): ErrorList {
  const meta = o.metadata as Obj;
  const errs = validateObjectMeta(meta, builtinMeta());
  const data = isObj(o.data) ? o.data : {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...isConfigMapKey(k).map((m) => invalid(key('data', k), k, m)));
    size += decodedLength(v);
  }
  if (size > maxDataSize) errs.push(tooLong('data', maxDataSize));
  const has = (k: string) => k in data;
  switch (o.type) {
    case 'kubernetes.io/service-account-token': {
      const ann = isObj(meta.annotations) ? meta.annotations : {};
      if (!ann['kubernetes.io/service-account.name'])
        errs.push(required(key('metadata.annotations', 'kubernetes.io/service-account.name')));
      break;
    }
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const k = o.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(k)) {
        errs.push(required(key('data', k)));
        break;
      }
      const problem = jsonError(data[k]);
      if (problem) errs.push(invalid(key('data', k), '<secret contents redacted>', problem));
      break;
    }
    case 'kubernetes.io/basic-auth':
      // The real path really is "data[%s][username]" (a format string passed as a path name).
      if (!has('username') && !has('password')) {
        errs.push(required(key('data[%s]', 'username')));
        errs.push(required(key('data[%s]', 'password')));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!decodedLength(data['ssh-privatekey'])) errs.push(required(key('data[%s]', 'ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(required(key('data', 'tls.crt')));
      if (!has('tls.key')) errs.push(required(key('data', 'tls.key')));
      break;
  }
  return errs;
}

export const secrets: KindValidator = {
  create: validateSecret,
  update(o, old) {
    const errs = validateMetaUpdate(o, old);
    if (o.type !== old.type) errs.push(invalid('type', o.type ?? '', fieldImmutable));
    if (old.immutable === true) {
      if (o.immutable !== true) errs.push(forbidden('immutable', immutableSet));
      if (!jsonEqual(o.data ?? {}, old.data ?? {})) errs.push(forbidden('data', immutableSet));
    }
    return errs.concat(validateSecret(o));
  },
};

function validateNamespace(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta(false, validateNamespaceName));
  const fins = (o.spec as Obj | undefined)?.finalizers;
  if (Array.isArray(fins))
    for (const f of fins) errs.push(...validateFinalizerName(String(f), 'spec.finalizers'));
  return errs;
}

export const namespaces: KindValidator = {
  create: validateNamespace,
  update(o, old) {
    return validateMetaUpdate(o, old);
  },
};

function validateEndpoints(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  const subsets = Array.isArray(o.subsets) ? (o.subsets as Obj[]) : [];
  subsets.forEach((ss, i) => {
    const p = index('subsets', i);
    const addrs = Array.isArray(ss.addresses) ? (ss.addresses as Obj[]) : [];
    const notReady = Array.isArray(ss.notReadyAddresses) ? (ss.notReadyAddresses as Obj[]) : [];
    if (!addrs.length && !notReady.length)
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    for (const [list, name] of [
      [addrs, 'addresses'],
      [notReady, 'notReadyAddresses'],
    ] as const) {
      list.forEach((a, j) => {
        const ip = typeof a.ip === 'string' ? a.ip : '';
        errs.push(...eachInvalid(child(index(child(p, name), j), 'ip'), ip, isValidIP(ip)));
      });
    }
    const ports = Array.isArray(ss.ports) ? (ss.ports as Obj[]) : [];
    ports.forEach((port, j) => {
      const pp = index(child(p, 'ports'), j);
      const name = typeof port.name === 'string' ? port.name : '';
      if (ports.length > 1 && !name) errs.push(required(child(pp, 'name')));
      else if (name) errs.push(...eachInvalid(child(pp, 'name'), name, isDNS1123Label(name)));
      errs.push(...eachInvalid(child(pp, 'port'), port.port, isValidPortNum(Number(port.port))));
      errs.push(...validateProtocol(port.protocol, child(pp, 'protocol')));
    });
  });
  return errs;
}

export const endpoints: KindValidator = {
  create: validateEndpoints,
  update(o, old) {
    return validateMetaUpdate(o, old).concat(validateEndpoints(o));
  },
};

const protocols = ['SCTP', 'TCP', 'UDP'];

/** Port protocols: required, one of TCP, UDP, SCTP. */
export function validateProtocol(p: unknown, path: string): ErrorList {
  if (p === undefined || p === null || p === '') return [required(path)];
  return protocols.includes(String(p)) ? [] : [notSupported(path, p, protocols)];
}

/** core/v1 and events.k8s.io/v1 Events: the involved object must sit in the event's namespace. */
function validateEvent(o: Obj): ErrorList {
  const meta = o.metadata as Obj;
  const errs = validateObjectMeta(meta, builtinMeta());
  const involved = (o.involvedObject ?? o.regarding) as Obj | undefined;
  const path = o.regarding !== undefined ? 'regarding.namespace' : 'involvedObject.namespace';
  if (
    isObj(involved) &&
    typeof involved.namespace === 'string' &&
    involved.namespace &&
    involved.namespace !== meta.namespace
  )
    errs.push(invalid(path, involved.namespace, 'does not match event.namespace'));
  return errs;
}

export const events: KindValidator = { create: validateEvent };

const quotaScopes = [
  'BestEffort',
  'CrossNamespacePodAffinity',
  'NotBestEffort',
  'NotTerminating',
  'PriorityClass',
  'Terminating',
];

/** A map of resource name → quantity (ResourceQuota hard, LimitRange limits). */
function validateResourceList(list: unknown, path: string, errs: ErrorList): void {
  if (!isObj(list)) return;
  for (const [name, q] of Object.entries(list)) {
    const p = key(path, name);
    if (isQualifiedName(name).length) errs.push(...eachInvalid(p, name, isQualifiedName(name)));
    const v = parseQuantity(q);
    if (v === undefined)
      throw errors.badRequest(
        `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      );
    if (v < 0) errs.push(invalid(p, quantityText(q), 'must be greater than or equal to 0'));
  }
}

function validateResourceQuota(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  const spec = specOf(o);
  validateResourceList(spec.hard, 'spec.hard', errs);
  (Array.isArray(spec.scopes) ? spec.scopes : []).forEach((sc, i) => {
    if (!quotaScopes.includes(String(sc))) errs.push(notSupported(index('spec.scopes', i), sc, quotaScopes));
  });
  return errs;
}

export const resourceQuotas: KindValidator = { create: validateResourceQuota };

const limitTypes = ['Container', 'PersistentVolumeClaim', 'Pod'];

function validateLimitRange(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  const limits = Array.isArray((o.spec as Obj | undefined)?.limits) ? ((o.spec as Obj).limits as Obj[]) : [];
  limits.forEach((l, i) => {
    const p = index('spec.limits', i);
    if (!limitTypes.includes(String(l.type)))
      errs.push(notSupported(child(p, 'type'), l.type ?? '', limitTypes));
    for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'])
      validateResourceList(l[f], child(p, f), errs);
  });
  return errs;
}

export const limitRanges: KindValidator = { create: validateLimitRange };
