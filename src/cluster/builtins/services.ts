/**
 * The Service registry's allocation step (pkg/registry/core/service/storage/alloc.go), run before the
 * Service is validated: ClusterIPs from the service CIDR (dynamic ones from the upper band, like the
 * real allocator), NodePorts from 30000-32767 for NodePort and LoadBalancer Services, IP family fields,
 * and on update the allocated values a client left out patched back in. Allocations are read from
 * the stored Services, so a failed or dry-run write allocates nothing and a delete releases them.
 */
import type { ApiContext } from '../api/context.js';
import { ApiError } from '../api/status.js';
import type { KubeObject, StoreEvent } from '../store/store.js';
import { goStringSlice, invalid, invalidError, type ErrorList } from '../validation/field.js';
import { ServiceCidr } from './service-cidr.js';
import { isHeadless, validateClusterIPFields } from '../validation/service.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const ports = (s: Obj): Obj[] => (Array.isArray(s.ports) ? (s.ports as Obj[]).filter(isObj) : []);

export const nodePortRange = { min: 30000, max: 32767 };

/** First free value in [from, to) starting at a random point, wrapping around. */
function pickFree(from: number, to: number, taken: (n: number) => boolean): number | undefined {
  const n = to - from;
  if (n <= 0) return undefined;
  const start = Math.floor(Math.random() * n);
  for (let i = 0; i < n; i++) {
    const v = from + ((start + i) % n);
    if (!taken(v)) return v;
  }
  return undefined;
}

const needsClusterIP = (s: Obj): boolean => s.type !== 'ExternalName' && !isHeadless(s);
const needsNodePorts = (s: Obj): boolean =>
  s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
const needsHealthCheckPort = (s: Obj): boolean =>
  s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';

export class ServiceAllocator {
  /** ip → owning service key, node port → owning service key. */
  private ips = new Map<string, string>();
  private nodePorts = new Map<number, string>();
  /** service key → what `track` recorded for it, so an update or delete releases it without a scan. */
  private held = new Map<string, { ips: string[]; ports: number[] }>();
  private readonly unsubscribe: () => void;

  constructor(
    ctx: ApiContext,
    readonly cidr: ServiceCidr,
  ) {
    this.unsubscribe = ctx.store.subscribe('services', (e: StoreEvent) => this.track(e));
  }

  stop(): void {
    this.unsubscribe();
  }

  private track(e: StoreEvent): void {
    const key = e.cur.key;
    const had = this.held.get(key);
    if (had) {
      for (const ip of had.ips) if (this.ips.get(ip) === key) this.ips.delete(ip);
      for (const p of had.ports) if (this.nodePorts.get(p) === key) this.nodePorts.delete(p);
      this.held.delete(key);
    }
    if (e.type === 'DELETED') return;
    const s = (e.cur.obj.spec ?? {}) as Obj;
    const ips = strs(s.clusterIPs).filter((ip) => ip !== 'None');
    const nodePorts = ports(s)
      .map((p) => p.nodePort)
      .filter((p): p is number => typeof p === 'number');
    if (typeof s.healthCheckNodePort === 'number') nodePorts.push(s.healthCheckNodePort);
    for (const ip of ips) this.ips.set(ip, key);
    for (const p of nodePorts) this.nodePorts.set(p, key);
    this.held.set(key, { ips, ports: nodePorts });
  }

  /** Runs before validation on create (old undefined) and update; throws the real 422s. */
  prepare(obj: KubeObject, old: KubeObject | undefined): void {
    const s = (isObj(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
    const key = obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
    const name = obj.metadata.name;
    const prev = old && isObj(old.spec) ? old.spec : undefined;
    if (prev) patchAllocated(s, prev);
    normalizeClusterIPs(s, prev);
    if (!prev || prev.type === 'ExternalName' || s.type === 'ExternalName' || !prev.ipFamilyPolicy) {
      const pre = validateClusterIPFields(s);
      if (pre.length) throw invalidError('Service', '', name, pre);
      const fam = this.initFamilies(s);
      if (fam.length) throw invalidError('Service', '', name, fam);
    } else {
      s.ipFamilies ??= prev.ipFamilies;
      s.ipFamilyPolicy ??= prev.ipFamilyPolicy;
    }
    if (needsClusterIP(s) && (!prev || !needsClusterIP(prev))) this.allocateClusterIP(s, key, name);
    const own = (p: number) => this.nodePorts.get(p) === key;
    if (
      needsNodePorts(s) ||
      (ports(s).some((p) => p.nodePort) && (s.type === 'NodePort' || s.type === 'LoadBalancer'))
    )
      this.allocateNodePorts(s, key, name, own);
    if (needsHealthCheckPort(s) && !s.healthCheckNodePort) {
      s.healthCheckNodePort = this.nextNodePort(new Set(ports(s).map((x) => x.nodePort as number)));
    }
    obj.spec = inGoOrder(s);
  }

  private initFamilies(s: Obj): ErrorList {
    if (s.type === 'ExternalName') return [];
    const errs: ErrorList = [];
    if (s.ipFamilyPolicy === undefined || s.ipFamilyPolicy === null)
      s.ipFamilyPolicy =
        isHeadless(s) && !Object.keys(isObj(s.selector) ? s.selector : {}).length
          ? 'RequireDualStack'
          : 'SingleStack';
    const fams = strs(s.ipFamilies);
    fams.forEach((f, i) => {
      if (f === 'IPv6') errs.push(invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
    });
    if (!fams.length) s.ipFamilies = ['IPv4'];
    if (!isHeadless(s) && s.ipFamilyPolicy === 'RequireDualStack')
      errs.push(
        invalid(
          'spec.ipFamilyPolicy',
          s.ipFamilyPolicy,
          'this cluster is not configured for dual-stack services',
        ),
      );
    return errs;
  }

  private allocateClusterIP(s: Obj, key: string, name: string): void {
    const requested = strs(s.clusterIPs)[0];
    if (requested) {
      const fail = (why: string) => {
        throw invalidError('Service', '', name, [
          invalid(
            'spec.clusterIPs',
            goStringSlice(s.clusterIPs),
            `failed to allocate IP ${requested}: ${why}`,
          ),
        ]);
      };
      if (this.cidr.offset(requested) < 0)
        fail(
          `the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.cidr.cidr}`,
        );
      const owner = this.ips.get(requested);
      if (owner !== undefined && owner !== key) fail('provided IP is already allocated');
      return;
    }
    // Dynamic allocations come from above the static band (kept for requested IPs), as in Kubernetes.
    const band = Math.min(256, Math.max(16, Math.floor((this.cidr.size + 2) / 16)));
    const taken = (o: number) => this.ips.has(this.cidr.ip(o));
    const o = pickFree(band, this.cidr.size, taken) ?? pickFree(0, band, taken);
    if (o === undefined)
      throw new ApiError(
        500,
        'InternalError',
        'Internal error occurred: failed to allocate a serviceIP: range is full',
      );
    s.clusterIP = this.cidr.ip(o);
    s.clusterIPs = [s.clusterIP];
  }

  /** A free node port, not one this service already uses; a 500 when the range is full. */
  private nextNodePort(inService: Set<number>): number {
    const taken = (p: number) => this.nodePorts.has(p) || inService.has(p);
    const p = pickFree(nodePortRange.min, nodePortRange.max + 1, taken);
    if (p === undefined)
      throw new ApiError(
        500,
        'InternalError',
        'Internal error occurred: failed to allocate a nodePort: range is full',
      );
    return p;
  }

  private allocateNodePorts(s: Obj, key: string, name: string, own: (p: number) => boolean): void {
    const byPort = new Map<number, number>();
    const used = new Set<number>();
    ports(s).forEach((p, i) => {
      const already = byPort.get(Number(p.port));
      if (already !== undefined && !p.nodePort) {
        p.nodePort = already;
        return;
      }
      if (typeof p.nodePort === 'number' && p.nodePort) {
        const np = p.nodePort;
        const fail = (why: string) => {
          throw invalidError('Service', '', name, [invalid(`spec.ports[${i}].nodePort`, np, why)]);
        };
        if (np < nodePortRange.min || np > nodePortRange.max)
          fail(
            `provided port is not in the valid range. The range of valid ports is ${nodePortRange.min}-${nodePortRange.max}`,
          );
        if ((this.nodePorts.has(np) && !own(np)) || (used.has(np) && byPort.get(Number(p.port)) !== np))
          fail('provided port is already allocated');
        used.add(np);
        byPort.set(Number(p.port), np);
        return;
      }
      if (!needsNodePorts(s)) return;
      const np = this.nextNodePort(used);
      p.nodePort = np;
      used.add(np);
      byPort.set(Number(p.port), np);
    });
  }
}

/** ServiceSpec and ServicePort field order, as the Go structs serialize them. */
const specOrder = [
  'ports',
  'selector',
  'clusterIP',
  'clusterIPs',
  'type',
  'externalIPs',
  'sessionAffinity',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'externalName',
  'externalTrafficPolicy',
  'healthCheckNodePort',
  'publishNotReadyAddresses',
  'sessionAffinityConfig',
  'ipFamilies',
  'ipFamilyPolicy',
  'allocateLoadBalancerNodePorts',
  'loadBalancerClass',
  'internalTrafficPolicy',
];
const portOrder = ['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'];

function ordered(o: Obj, order: string[]): Obj {
  const out: Obj = {};
  for (const k of order) if (o[k] !== undefined) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out) && o[k] !== undefined) out[k] = o[k];
  return out;
}

function inGoOrder(s: Obj): Obj {
  const out = ordered(s, specOrder);
  if (Array.isArray(out.ports))
    out.ports = (out.ports as unknown[]).map((p) => (isObj(p) ? ordered(p, portOrder) : p));
  return out;
}

/** patchAllocatedValues: values a client did not send on update keep what was allocated. */
function patchAllocated(s: Obj, prev: Obj): void {
  // Any type but ExternalName has cluster IPs (None for headless ones) to keep.
  if (prev.type !== 'ExternalName' && s.type !== 'ExternalName') {
    if (!s.clusterIP) s.clusterIP = prev.clusterIP;
    if (!strs(s.clusterIPs).length && strs(prev.clusterIPs).length) s.clusterIPs = prev.clusterIPs;
  }
  if (needsNodePorts(prev) && needsNodePorts(s)) {
    const inNew = new Set(
      ports(s)
        .map((p) => p.nodePort)
        .filter(Boolean),
    );
    const inOld = new Set(
      ports(prev)
        .map((p) => p.nodePort)
        .filter(Boolean),
    );
    const used = new Set([...inNew].filter((p) => inOld.has(p)));
    const byName = new Map(ports(prev).map((p) => [String(p.name ?? ''), p.nodePort]));
    for (const p of ports(s)) {
      if (p.nodePort) continue;
      const old = byName.get(String(p.name ?? ''));
      if (typeof old === 'number' && !used.has(old)) p.nodePort = old;
    }
  }
  if (needsHealthCheckPort(prev) && needsHealthCheckPort(s) && !s.healthCheckNodePort)
    s.healthCheckNodePort = prev.healthCheckNodePort;
}

/** NormalizeClusterIPs: keep clusterIP and clusterIPs in step for clients that set only one. */
function normalizeClusterIPs(s: Obj, prev: Obj | undefined): void {
  const ip = typeof s.clusterIP === 'string' ? s.clusterIP : '';
  if (!prev) {
    if (ip && !strs(s.clusterIPs).length) s.clusterIPs = [ip];
    return;
  }
  if ((prev.clusterIP ?? '') === ip) return;
  const samePlural = JSON.stringify(strs(prev.clusterIPs)) === JSON.stringify(strs(s.clusterIPs));
  if (prev.clusterIP && !ip) {
    if (samePlural) delete s.clusterIPs;
    return;
  }
  if (samePlural) s.clusterIPs = [ip];
}
