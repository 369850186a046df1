/**
 * Server-side defaulting of the built-in kinds (the subset the real server applies that clients
 * observe): namespace phase/finalizers, deployment strategy and pod template fields, service type.
 */
import type { KubeObject } from '../store/store.js';
import type { ResourceType } from '../api/resources.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function defaultContainers(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const c of list) {
    if (!isObj(c)) continue;
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    if (c.imagePullPolicy === undefined) {
      const image = typeof c.image === 'string' ? c.image : '';
      c.imagePullPolicy = image.endsWith(':latest') || !/:[^/]+$/.test(image) ? 'Always' : 'IfNotPresent';
    }
    if (Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p)) p.protocol ??= 'TCP';
    c.resources ??= {};
  }
}

export function defaultPodSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  defaultContainers(spec.containers);
  defaultContainers(spec.initContainers);
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
}

export function builtinDefaults(rt: ResourceType, obj: KubeObject, op: 'create' | 'update'): void {
  if (rt.custom) return;
  switch (rt.storageKey) {
    case 'namespaces': {
      const meta = obj.metadata;
      meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': meta.name };
      const spec = isObj(obj.spec) ? obj.spec : {};
      spec.finalizers ??= ['kubernetes'];
      obj.spec = spec;
      if (op === 'create' || !isObj(obj.status)) obj.status = { phase: 'Active' };
      break;
    }
    case 'deployments.apps': {
      const spec = isObj(obj.spec) ? obj.spec : {};
      obj.spec = spec;
      spec.replicas ??= 1;
      spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      const tpl = isObj(spec.template) ? spec.template : undefined;
      if (tpl) {
        if (isObj(tpl.metadata)) tpl.metadata.creationTimestamp ??= null;
        defaultPodSpec(tpl.spec);
      }
      obj.status ??= {};
      break;
    }
    case 'pods': {
      defaultPodSpec(obj.spec);
      if (op === 'create' && !isObj(obj.status)) obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    }
    case 'services': {
      const spec = isObj(obj.spec) ? obj.spec : {};
      obj.spec = spec;
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      if (Array.isArray(spec.ports)) {
        for (const p of spec.ports)
          if (isObj(p)) {
            p.protocol ??= 'TCP';
            p.targetPort ??= p.port;
          }
      }
      obj.status ??= { loadBalancer: {} };
      break;
    }
    case 'secrets': {
      obj.type ??= 'Opaque';
      // stringData is write-only: merged into data (base64) like the real server does.
      if (isObj(obj.stringData)) {
        const data = isObj(obj.data) ? obj.data : {};
        for (const [k, v] of Object.entries(obj.stringData))
          data[k] = Buffer.from(String(v)).toString('base64');
        obj.data = data;
      }
      delete obj.stringData;
      break;
    }
  }
}
