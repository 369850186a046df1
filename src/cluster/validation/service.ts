/**
 * core/v1 Service validation (ValidateService, ValidateServiceUpdate and the clusterIP/ipFamily
 * checks the allocator runs first): ports (names required when several, duplicates), types, session
 * affinity, clusterIP/clusterIPs consistency and immutability, node ports only where allowed.
 */
import {
  child,
  duplicate,
  eachInvalid,
  forbidden,
  goIntOrString,
  goQuote,
  goStringSlice,
  GoText,
  index,
  invalid,
  notSupported,
  required,
  type ErrorList,
} from './field.js';
import { validateProtocol } from './core.js';
import type { KindValidator } from './kind.js';
import { builtinMeta, validateLabels, validateMetaUpdate, validateObjectMeta } from './meta.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidIP,
  isValidPortName,
  isValidPortNum,
  nameIsDNS1035Label,
  parseIp,
} from './names.js';
import { arr, type Obj, specOf, strs } from './values.js';

export const isHeadless = (s: Obj): boolean => strs(s.clusterIPs)[0] === 'None' || s.clusterIP === 'None';

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const families = ['IPv4', 'IPv6'];
const familyPolicies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];

/** ValidateServiceClusterIPsRelatedFields (also run by the allocator before it allocates). */
export function validateClusterIPFields(s: Obj): ErrorList {
  if (s.type === 'ExternalName') return [];
  const errs: ErrorList = [];
  const ips = strs(s.clusterIPs);
  const ipsText = goStringSlice(s.clusterIPs ?? null);
  const clusterIP = typeof s.clusterIP === 'string' ? s.clusterIP : '';
  if (clusterIP) {
    if (!ips.length) errs.push(required('spec.clusterIPs'));
    else if (ips[0] !== clusterIP)
      errs.push(invalid('spec.clusterIPs', ipsText, 'first value must match `clusterIP`'));
  } else if (ips.length)
    errs.push(invalid('spec.clusterIPs', ipsText, 'must be empty when `clusterIP` is not specified'));
  const seen = new Set<string>();
  strs(s.ipFamilies).forEach((f, i) => {
    if (!families.includes(f)) errs.push(notSupported(index('spec.ipFamilies', i), f, families));
    if (seen.has(f)) errs.push(duplicate(index('spec.ipFamilies', i), f));
    seen.add(f);
  });
  if (
    s.ipFamilyPolicy !== undefined &&
    s.ipFamilyPolicy !== null &&
    !familyPolicies.includes(String(s.ipFamilyPolicy))
  )
    errs.push(notSupported('spec.ipFamilyPolicy', s.ipFamilyPolicy, familyPolicies));
  let badIps = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIps = true;
        errs.push(invalid('spec.clusterIPs', ipsText, "'None' must be the first and only value"));
      }
      return;
    }
    const msgs = isValidIP(ip);
    if (msgs.length) badIps = true;
    errs.push(...eachInvalid(index('spec.clusterIPs', i), ip, msgs));
  });
  if (ips.length > 2) errs.push(invalid('spec.clusterIPs', ipsText, 'may only hold up to 2 values'));
  if (badIps) return errs;
  if (ips.length > 1 && parseIp(ips[0]!)?.family === parseIp(ips[1]!)?.family)
    errs.push(invalid('spec.clusterIPs', ipsText, 'may specify no more than one IP for each IP family'));
  if (!isHeadless(s)) {
    const fams = strs(s.ipFamilies);
    ips.forEach((ip, i) => {
      if (i >= fams.length) return;
      const v6 = parseIp(ip)?.family === 'IPv6';
      if (fams[i] === 'IPv4' && v6)
        errs.push(
          invalid(
            index('spec.clusterIPs', i),
            ip,
            `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``,
          ),
        );
      if (fams[i] === 'IPv6' && !v6)
        errs.push(
          invalid(
            index('spec.clusterIPs', i),
            ip,
            `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``,
          ),
        );
    });
  }
  return errs;
}

function validateServicePort(p: Obj, requireName: boolean, names: Set<string>, path: string): ErrorList {
  const errs: ErrorList = [];
  const name = typeof p.name === 'string' ? p.name : '';
  if (requireName && !name) errs.push(required(child(path, 'name')));
  else if (name) {
    errs.push(...eachInvalid(child(path, 'name'), name, isDNS1123Label(name)));
    if (names.has(name)) errs.push(duplicate(child(path, 'name'), name));
    else names.add(name);
  }
  errs.push(...eachInvalid(child(path, 'port'), p.port ?? 0, isValidPortNum(Number(p.port ?? 0))));
  errs.push(...validateProtocol(p.protocol, child(path, 'protocol')));
  const tp = p.targetPort;
  if (typeof tp === 'number') errs.push(...eachInvalid(child(path, 'targetPort'), tp, isValidPortNum(tp)));
  else if (typeof tp === 'string') {
    if (/^\d+$/.test(tp))
      errs.push(...eachInvalid(child(path, 'targetPort'), Number(tp), isValidPortNum(Number(tp))));
    else errs.push(...eachInvalid(child(path, 'targetPort'), tp, isValidPortName(tp)));
  }
  if (typeof p.appProtocol === 'string')
    errs.push(...eachInvalid(child(path, 'appProtocol'), p.appProtocol, isQualifiedName(p.appProtocol)));
  return errs;
}

function validateService(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta(true, nameIsDNS1035Label));
  const s = specOf(o);
  const ports = arr(s.ports);
  const ips = strs(s.clusterIPs);
  if (!ports.length && !isHeadless(s) && s.type !== 'ExternalName') errs.push(required('spec.ports'));
  if ((s.type === 'LoadBalancer' || s.type === 'NodePort') && isHeadless(s))
    errs.push(
      invalid(
        index('spec.clusterIPs', 0),
        ips[0] ?? '',
        `may not be set to 'None' for ${String(s.type)} services`,
      ),
    );
  if (s.type === 'ExternalName') {
    if (ips.length) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (strs(s.ipFamilies).length)
      errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null)
      errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = (typeof s.externalName === 'string' ? s.externalName : '').replace(/\.$/, '');
    if (cname) errs.push(...eachInvalid('spec.externalName', cname, isDNS1123Subdomain(cname)));
    else errs.push(required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) =>
    errs.push(...validateServicePort(p, ports.length > 1, names, index('spec.ports', i))),
  );
  if (s.selector !== undefined && s.selector !== null)
    errs.push(...validateLabels(s.selector, 'spec.selector'));
  const sa = s.sessionAffinity;
  if (!sa) errs.push(required('spec.sessionAffinity'));
  else if (sa !== 'ClientIP' && sa !== 'None')
    errs.push(notSupported('spec.sessionAffinity', sa, ['ClientIP', 'None']));
  if (sa === 'None' && s.sessionAffinityConfig !== undefined && s.sessionAffinityConfig !== null)
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  errs.push(...validateClusterIPFields(s));
  strs(s.externalIPs).forEach((ip, i) =>
    errs.push(...eachInvalid(index('spec.externalIPs', i), ip, isValidIP(ip))),
  );
  if (!s.type) errs.push(required('spec.type'));
  else if (!serviceTypes.includes(String(s.type))) errs.push(notSupported('spec.type', s.type, serviceTypes));
  if (s.type === 'ClusterIP')
    ports.forEach((p, i) => {
      if (p.nodePort)
        errs.push(
          forbidden(child(index('spec.ports', i), 'nodePort'), "may not be used when `type` is 'ClusterIP'"),
        );
    });
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const k = `${String(p.protocol)}/${String(p.nodePort)}`;
    if (nodePorts.has(k)) errs.push(duplicate(child(index('spec.ports', i), 'nodePort'), p.nodePort));
    nodePorts.add(k);
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${String(p.protocol)}/${String(p.port)}`;
    if (seen.has(k))
      errs.push(
        duplicate(
          index('spec.ports', i),
          new GoText(
            `core.ServicePort{Name:"", Protocol:${goQuote(String(p.protocol ?? ''))}, AppProtocol:(*string)(nil), Port:${Number(p.port ?? 0)}, TargetPort:${goIntOrString(0).text}, NodePort:0}`,
          ),
        ),
      );
    seen.add(k);
  });
  const etp = s.externalTrafficPolicy;
  if (etp !== undefined && etp !== '' && s.type !== 'NodePort' && s.type !== 'LoadBalancer')
    errs.push(
      invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'),
    );
  if (etp && etp !== 'Cluster' && etp !== 'Local')
    errs.push(notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  const itp = s.internalTrafficPolicy;
  if (itp && itp !== 'Cluster' && itp !== 'Local')
    errs.push(notSupported('spec.internalTrafficPolicy', itp, ['Cluster', 'Local']));
  return errs;
}

function upgradeDowngradeClusterIPs(s: Obj, old: Obj): ErrorList {
  if (s.type === 'ExternalName' || old.type === 'ExternalName') return [];
  if (isHeadless(s) && isHeadless(old)) return [];
  const cur = strs(s.clusterIPs);
  const prev = strs(old.clusterIPs);
  const value = goStringSlice(s.clusterIPs ?? null);
  const errs: ErrorList = [];
  if (cur.length === prev.length) {
    prev.forEach((ip, i) => {
      if (ip !== cur[i]) errs.push(invalid(index('spec.clusterIPs', i), value, 'may not change once set'));
    });
  } else if (prev.length > cur.length) {
    if (!cur.length)
      errs.push(invalid(index('spec.clusterIPs', 0), value, 'primary clusterIP can not be unset'));
    if (prev.length && cur.length && cur[0] !== prev[0])
      errs.push(invalid(index('spec.clusterIPs', 0), value, 'may not change once set'));
  } else if (prev.length && cur[0] !== prev[0])
    errs.push(invalid(index('spec.clusterIPs', 0), value, 'may not change once set'));
  return errs;
}

export const services: KindValidator = {
  create: validateService,
  update: (o, old) => [
    ...validateMetaUpdate(o, old),
    ...upgradeDowngradeClusterIPs(specOf(o), specOf(old)),
    ...validateService(o),
  ],
};
