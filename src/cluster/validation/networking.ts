/**
 * networking.k8s.io/v1 Ingress, IngressClass and NetworkPolicy (pkg/apis/networking/validation):
 * the checks manifests trip over (backends, paths and path types, hosts, class names, peers, ports,
 * CIDRs, policy types).
 */
import {
  child,
  eachInvalid,
  GoText,
  index,
  invalid,
  notSupported,
  required,
  tooMany,
  type ErrorList,
} from './field.js';
import type { KindValidator } from './kind.js';
import { builtinMeta, metaUpdateThen, validateMetaUpdate, validateObjectMeta } from './meta.js';
import {
  byteLength,
  isDNS1035Label,
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
  parseIp,
} from './names.js';
import { validateLabelSelector } from './selector.js';
import { validateProtocol } from './core.js';
import { arr, isObj, type Obj, specOf, str } from './values.js';

const wildcardRe = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validateHost(host: string, path: string): ErrorList {
  if (host.includes('*')) {
    return wildcardRe.test(host)
      ? []
      : [
          invalid(
            path,
            host,
            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
          ),
        ];
  }
  const errs = eachInvalid(path, host, isDNS1123Subdomain(host));
  if (parseIp(host)) errs.push(invalid(path, host, 'must be a DNS name, not an IP address'));
  return errs;
}

function validateBackend(b: Obj, path: string): ErrorList {
  const errs: ErrorList = [];
  const svc = b.service;
  const res = b.resource;
  if (isObj(svc) && isObj(res)) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (isObj(res)) {
    if (!str(res.kind)) errs.push(required(child(path, 'resource', 'kind')));
    if (!str(res.name)) errs.push(required(child(path, 'resource', 'name')));
    return errs;
  }
  if (!isObj(svc)) return [invalid(path, '', 'resource or service backend is required')];
  const name = str(svc.name);
  if (!name) errs.push(required(child(path, 'service', 'name')));
  else errs.push(...eachInvalid(child(path, 'service', 'name'), name, isDNS1035Label(name)));
  const port = isObj(svc.port) ? svc.port : {};
  const hasName = !!str(port.name);
  const hasNumber = typeof port.number === 'number' && port.number !== 0;
  const pp = child(path, 'service', 'port');
  if (hasName && hasNumber) errs.push(invalid(pp, '', 'cannot set both port name & port number'));
  else if (hasName) errs.push(...eachInvalid(child(pp, 'name'), port.name, isValidPortName(str(port.name))));
  else if (hasNumber)
    errs.push(...eachInvalid(child(pp, 'number'), port.number, isValidPortNum(port.number as number)));
  else errs.push(required(pp, 'port name or number is required'));
  return errs;
}

const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateIngressSpec(s: Obj): ErrorList {
  const errs: ErrorList = [];
  const rules = arr(s.rules);
  if (!rules.length && !isObj(s.defaultBackend))
    errs.push(
      invalid(
        'spec',
        new GoText('[]networking.IngressRule(nil)'),
        'either `defaultBackend` or `rules` must be specified',
      ),
    );
  if (isObj(s.defaultBackend)) errs.push(...validateBackend(s.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r, i) => {
    const p = index('spec.rules', i);
    if (str(r.host)) errs.push(...validateHost(str(r.host), child(p, 'host')));
    if (!isObj(r.http)) return;
    const paths = arr(r.http.paths);
    if (!paths.length) errs.push(required(child(p, 'http', 'paths')));
    paths.forEach((hp, j) => {
      const pp = index(child(p, 'http', 'paths'), j);
      const pt = hp.pathType;
      if (!pt) errs.push(required(child(pp, 'pathType'), 'pathType must be specified'));
      else if (!pathTypes.includes(String(pt))) errs.push(notSupported(child(pp, 'pathType'), pt, pathTypes));
      const path = str(hp.path);
      if ((pt === 'Exact' || pt === 'Prefix') && !path.startsWith('/'))
        errs.push(invalid(child(pp, 'path'), path, 'must be an absolute path'));
      errs.push(...validateBackend(isObj(hp.backend) ? hp.backend : {}, child(pp, 'backend')));
    });
  });
  arr(s.tls).forEach((t, i) => {
    (Array.isArray(t.hosts) ? t.hosts : []).forEach((h, j) =>
      errs.push(...validateHost(String(h), index(child(index('spec.tls', i), 'hosts'), j))),
    );
  });
  const cls = s.ingressClassName;
  if (typeof cls === 'string')
    errs.push(...eachInvalid('spec.ingressClassName', cls, isDNS1123Subdomain(cls)));
  return errs;
}

const validateIngress = (o: Obj): ErrorList => [
  ...validateObjectMeta(o.metadata as Obj, builtinMeta()),
  ...validateIngressSpec(specOf(o)),
];

export const ingresses: KindValidator = {
  create: validateIngress,
  update: (o, old) => [...validateMetaUpdate(o, old), ...validateIngressSpec(specOf(o))],
};

function validateIngressClass(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta(false));
  const s = specOf(o);
  const controller = str(s.controller);
  if (!controller) errs.push(required('spec.controller'));
  else {
    if (byteLength(controller) > 250)
      errs.push({
        type: 'FieldValueTooLong',
        field: 'spec.controller',
        value: '',
        detail: 'may not be longer than 250',
      });
    const [host, rest] = [controller.split('/')[0]!, controller.slice(controller.indexOf('/') + 1)];
    if (!controller.includes('/') || !host || !rest)
      errs.push(
        invalid('spec.controller', controller, 'must be a domain-prefixed path (such as "acme.io/foo")'),
      );
    else errs.push(...eachInvalid('spec.controller', host, isDNS1123Subdomain(host)));
  }
  return errs;
}

export const ingressClasses: KindValidator = {
  create: validateIngressClass,
  update(o, old) {
    const errs = validateMetaUpdate(o, old).concat(validateIngressClass(o));
    const c = (o.spec as Obj | undefined)?.controller;
    if (c !== (old.spec as Obj | undefined)?.controller)
      errs.push(invalid('spec.controller', c ?? '', 'field is immutable'));
    return errs;
  },
};

function validateCidr(cidr: string, path: string): { ok: boolean; errs: ErrorList } {
  const m = /^(.+)\/(\d{1,3})$/.exec(cidr);
  const ip = m ? parseIp(m[1]!) : undefined;
  const bits = m ? Number(m[2]) : -1;
  if (!ip || bits > (ip.family === 'IPv4' ? 32 : 128))
    return {
      ok: false,
      errs: [invalid(path, cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')],
    };
  return { ok: true, errs: [] };
}

function validatePeers(peers: Obj[], path: string): ErrorList {
  const errs: ErrorList = [];
  peers.forEach((peer, i) => {
    const p = index(path, i);
    let n = 0;
    if (isObj(peer.podSelector)) {
      n++;
      errs.push(...validateLabelSelector(peer.podSelector, child(p, 'podSelector')));
    }
    if (isObj(peer.namespaceSelector)) {
      n++;
      errs.push(...validateLabelSelector(peer.namespaceSelector, child(p, 'namespaceSelector')));
    }
    if (isObj(peer.ipBlock)) {
      n++;
      const cidr = str(peer.ipBlock.cidr);
      if (!cidr) errs.push(required(child(p, 'ipBlock', 'cidr')));
      else errs.push(...validateCidr(cidr, child(p, 'ipBlock', 'cidr')).errs);
      (Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : []).forEach((e, j) =>
        errs.push(...validateCidr(String(e), index(child(p, 'ipBlock', 'except'), j)).errs),
      );
    }
    if (n === 0) errs.push(required(p, 'must specify a peer'));
    else if (n > 1 && isObj(peer.ipBlock))
      errs.push(
        invalid(
          p,
          new GoText('networking.NetworkPolicyPeer{…}'),
          'may not specify both ipBlock and another peer',
        ),
      );
  });
  return errs;
}

function validatePolicyPorts(ports: Obj[], path: string): ErrorList {
  const errs: ErrorList = [];
  ports.forEach((port, i) => {
    const p = index(path, i);
    if (port.protocol !== undefined) errs.push(...validateProtocol(port.protocol, child(p, 'protocol')));
    if (typeof port.port === 'number')
      errs.push(...eachInvalid(child(p, 'port'), port.port, isValidPortNum(port.port)));
    else if (typeof port.port === 'string')
      errs.push(...eachInvalid(child(p, 'port'), port.port, isValidPortName(port.port)));
    if (port.endPort !== undefined) {
      if (typeof port.port !== 'number')
        errs.push(required(child(p, 'port'), 'must be specified when endPort is specified'));
      else if ((port.endPort as number) < port.port)
        errs.push(invalid(child(p, 'endPort'), port.endPort, 'must be greater than or equal to `port`'));
    }
  });
  return errs;
}

function validateNetworkPolicy(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  const s = specOf(o);
  errs.push(...validateLabelSelector(s.podSelector, 'spec.podSelector'));
  arr(s.ingress).forEach((r, i) => {
    const p = index('spec.ingress', i);
    errs.push(...validatePolicyPorts(arr(r.ports), child(p, 'ports')));
    errs.push(...validatePeers(arr(r.from), child(p, 'from')));
  });
  arr(s.egress).forEach((r, i) => {
    const p = index('spec.egress', i);
    errs.push(...validatePolicyPorts(arr(r.ports), child(p, 'ports')));
    errs.push(...validatePeers(arr(r.to), child(p, 'to')));
  });
  const types = Array.isArray(s.policyTypes) ? (s.policyTypes as unknown[]) : [];
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress')
      errs.push(notSupported(index('spec.policyTypes', i), t, ['Ingress', 'Egress']));
  });
  if (types.length > 2) errs.push(tooMany('spec.policyTypes', types.length, 2));
  return errs;
}

export const networkPolicies: KindValidator = {
  create: validateNetworkPolicy,
  update: metaUpdateThen(validateNetworkPolicy),
};
