/**
 * Pods and pod templates (pkg/apis/core/validation: ValidatePodSpec, validateContainers,
 * ValidatePodTemplateSpec, ValidatePodCreate/Update). The checks a user meets: containers (name,
 * image, ports, env, mounts, resources, pull and termination-message policies), volumes, restart
 * and DNS policies, node selector, names of node/service account/hostname/subdomain, and after
 * create only images, activeDeadlineSeconds, tolerations (additions) and terminationGracePeriodSeconds
 * may change.
 */
import { errors } from '../api/status.js';
import {
  child,
  duplicate,
  eachInvalid,
  forbidden,
  index,
  invalid,
  key,
  notFound,
  notSupported,
  required,
  type ErrorList,
} from './field.js';
import { validateProtocol } from './core.js';
import type { KindValidator } from './kind.js';
import {
  builtinMeta,
  nonNegative,
  validateAnnotations,
  validateLabels,
  validateMetaUpdate,
  validateObjectMeta,
} from './meta.js';
import {
  inclusiveRangeError,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isValidPortName,
  isValidPortNum,
} from './names.js';
import { parseQuantity, quantityFormatError, quantityText } from './quantity.js';
import { jsonEqual } from '../api/objects.js';
import { arr, isObj, type Obj, specOf, str } from './values.js';

/** Volume sources in the order validateVolumeSource checks them (and its path names, typo included). */
const volumeSources: [string, string][] = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
];

function validateVolumes(volumes: Obj[], path: string): { names: Set<string>; errs: ErrorList } {
  const errs: ErrorList = [];
  const names = new Set<string>();
  volumes.forEach((vol, i) => {
    const p = index(path, i);
    const el: ErrorList = [];
    let n = 0;
    for (const [field, errPath] of volumeSources) {
      const src = vol[field];
      if (src === undefined || src === null) continue;
      if (n > 0) {
        el.push(forbidden(child(p, errPath), 'may not specify more than 1 volume type'));
        continue;
      }
      n++;
      const s = isObj(src) ? src : {};
      if (field === 'hostPath' && !str(s.path)) el.push(required(child(p, 'hostPath', 'path')));
      if (field === 'secret' && !str(s.secretName)) el.push(required(child(p, 'secret', 'secretName')));
      if (field === 'configMap' && !str(s.name)) el.push(required(child(p, 'configMap', 'name')));
      if (field === 'persistentVolumeClaim' && !str(s.claimName))
        el.push(required(child(p, 'persistentVolumeClaim', 'claimName')));
    }
    if (n === 0) el.push(required(p, 'must specify a volume type'));
    const name = str(vol.name);
    if (!name) el.push(required(child(p, 'name')));
    else el.push(...eachInvalid(child(p, 'name'), name, isDNS1123Label(name)));
    if (names.has(name)) el.push(duplicate(child(p, 'name'), name));
    if (el.length) errs.push(...el);
    else names.add(name);
  });
  return { names, errs };
}

function validatePorts(ports: Obj[], path: string): ErrorList {
  const errs: ErrorList = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = index(path, i);
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...eachInvalid(child(p, 'name'), name, msgs));
      else if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
      else names.add(name);
    }
    if (!port.containerPort) errs.push(required(child(p, 'containerPort')));
    else
      errs.push(
        ...eachInvalid(
          child(p, 'containerPort'),
          port.containerPort,
          isValidPortNum(Number(port.containerPort)),
        ),
      );
    if (port.hostPort)
      errs.push(...eachInvalid(child(p, 'hostPort'), port.hostPort, isValidPortNum(Number(port.hostPort))));
    errs.push(...validateProtocol(port.protocol, child(p, 'protocol')));
  });
  return errs;
}

function validateEnv(env: Obj[], path: string): ErrorList {
  const errs: ErrorList = [];
  env.forEach((ev, i) => {
    const p = index(path, i);
    const name = str(ev.name);
    if (!name) errs.push(required(child(p, 'name')));
    else errs.push(...eachInvalid(child(p, 'name'), name, isEnvVarName(name)));
    const from = ev.valueFrom;
    if (!isObj(from)) return;
    const fp = child(p, 'valueFrom');
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) =>
      isObj(from[k]),
    );
    if (sources.length === 0)
      errs.push(
        invalid(
          fp,
          '',
          'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
        ),
      );
    else if (sources.length > 1)
      errs.push(invalid(fp, '', 'may not have more than one field specified at a time'));
    if (str(ev.value) && sources.length)
      errs.push(invalid(fp, '', 'may not be specified when `value` is not empty'));
  });
  return errs;
}

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

function validateResources(res: unknown, path: string): ErrorList {
  const errs: ErrorList = [];
  if (!isObj(res)) return errs;
  const limits = isObj(res.limits) ? res.limits : {};
  const requests = isObj(res.requests) ? res.requests : {};
  const check = (name: string, q: unknown, p: string): number | undefined => {
    const v = parseQuantity(q);
    // A malformed quantity never gets to validation: the decoder rejects the body.
    if (v === undefined)
      throw errors.badRequest(`Pod in version "v1" cannot be handled as a Pod: ${quantityFormatError}`);
    if (!name.includes('/') && !standardContainerResources.has(name) && !name.startsWith('hugepages-'))
      errs.push(invalid(p, name, 'must be a standard resource for containers'));
    if (v < 0) errs.push(invalid(p, quantityText(q), 'must be greater than or equal to 0'));
    return v;
  };
  for (const [name, q] of Object.entries(limits)) check(name, q, key(child(path, 'limits'), name));
  for (const [name, q] of Object.entries(requests)) {
    const v = check(name, q, key(child(path, 'requests'), name));
    if (name in limits) {
      const lim = parseQuantity(limits[name])!;
      if (v !== undefined && v > lim)
        errs.push(
          invalid(
            child(path, 'requests'),
            quantityText(q),
            `must be less than or equal to ${name} limit of ${quantityText(limits[name])}`,
          ),
        );
    }
  }
  return errs;
}

const pullPolicies = ['Always', 'IfNotPresent', 'Never'];

function validateContainer(c: Obj, volumes: Set<string>, path: string): ErrorList {
  const errs: ErrorList = [];
  const name = str(c.name);
  if (!name) errs.push(required(child(path, 'name')));
  else errs.push(...eachInvalid(child(path, 'name'), name, isDNS1123Label(name)));
  if (!str(c.image)) errs.push(required(child(path, 'image')));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(required(child(path, 'terminationMessagePolicy')));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError')
    errs.push(notSupported(child(path, 'terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validatePorts(arr(c.ports), child(path, 'ports')));
  errs.push(...validateEnv(arr(c.env), child(path, 'env')));
  const mountPaths = new Set<string>();
  arr(c.volumeMounts).forEach((m, i) => {
    const p = index(child(path, 'volumeMounts'), i);
    const mname = str(m.name);
    if (!mname) errs.push(required(child(p, 'name')));
    if (!volumes.has(mname)) errs.push(notFound(child(p, 'name'), mname));
    const mp = str(m.mountPath);
    if (!mp) errs.push(required(child(p, 'mountPath')));
    if (mountPaths.has(mp)) errs.push(invalid(child(p, 'mountPath'), mp, 'must be unique'));
    mountPaths.add(mp);
  });
  const pull = c.imagePullPolicy;
  if (!pull) errs.push(required(child(path, 'imagePullPolicy')));
  else if (!pullPolicies.includes(String(pull)))
    errs.push(notSupported(child(path, 'imagePullPolicy'), pull, pullPolicies));
  errs.push(...validateResources(c.resources, child(path, 'resources')));
  return errs;
}

function validateContainers(
  list: Obj[],
  volumes: Set<string>,
  path: string,
  others: Set<string>,
  isInit: boolean,
): ErrorList {
  const errs: ErrorList = [];
  if (!isInit && list.length === 0) return [required(path)];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainer(c, volumes, p));
    const name = str(c.name);
    if (names.has(name) || (isInit && others.has(name))) errs.push(duplicate(child(p, 'name'), name));
    else names.add(name);
  });
  return errs;
}

const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

/** ValidatePodSpec. */
export function validatePodSpec(spec: unknown, path: string): ErrorList {
  const s = isObj(spec) ? spec : {};
  const { names: volumes, errs } = validateVolumes(arr(s.volumes), child(path, 'volumes'));
  const containers = arr(s.containers);
  errs.push(...validateContainers(containers, volumes, child(path, 'containers'), new Set(), false));
  errs.push(
    ...validateContainers(
      arr(s.initContainers),
      volumes,
      child(path, 'initContainers'),
      new Set(containers.map((c) => str(c.name))),
      true,
    ),
  );
  const rp = s.restartPolicy;
  if (!rp) errs.push(required(child(path, 'restartPolicy')));
  else if (!restartPolicies.includes(String(rp)))
    errs.push(notSupported(child(path, 'restartPolicy'), rp, restartPolicies));
  const dp = s.dnsPolicy;
  if (!dp) errs.push(required(child(path, 'dnsPolicy')));
  else if (!dnsPolicies.includes(String(dp)))
    errs.push(notSupported(child(path, 'dnsPolicy'), dp, dnsPolicies));
  errs.push(...validateLabels(s.nodeSelector, child(path, 'nodeSelector')));
  for (const f of ['serviceAccountName', 'nodeName', 'priorityClassName'] as const) {
    const v = str(s[f]);
    if (v) errs.push(...eachInvalid(child(path, f), v, isDNS1123Subdomain(v)));
  }
  if (typeof s.activeDeadlineSeconds === 'number') {
    const v = s.activeDeadlineSeconds;
    if (v < 1 || v > 2147483647)
      errs.push(invalid(child(path, 'activeDeadlineSeconds'), v, inclusiveRangeError(1, 2147483647)));
  }
  for (const f of ['hostname', 'subdomain'] as const) {
    const v = str(s[f]);
    if (v) errs.push(...eachInvalid(child(path, f), v, isDNS1123Label(v)));
  }
  errs.push(...nonNegative(s.terminationGracePeriodSeconds, child(path, 'terminationGracePeriodSeconds')));
  return errs;
}

/** ValidatePodTemplateSpec (note: the template's labels are reported at `<path>.labels`). */
export function validatePodTemplateSpec(tpl: unknown, path: string): ErrorList {
  const t = isObj(tpl) ? tpl : {};
  const meta = isObj(t.metadata) ? t.metadata : {};
  const errs = validateLabels(meta.labels, child(path, 'labels'));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validatePodSpec(t.spec, child(path, 'spec')));
  const spec = isObj(t.spec) ? t.spec : {};
  if (arr(spec.ephemeralContainers).length)
    errs.push(
      forbidden(
        child(path, 'spec', 'ephemeralContainers'),
        'ephemeral containers not allowed in pod template',
      ),
    );
  return errs;
}

function validatePodMetadataAndSpec(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  return errs.concat(validatePodSpec(o.spec, 'spec'));
}

const updatableFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

const goField = (k: string): string => k.charAt(0).toUpperCase() + k.slice(1);

/** A short rendering of what changed, in the spirit of the real message's cmp.Diff of core.PodSpec. */
function specDiff(old: Obj, cur: Obj): string {
  const lines = ['  core.PodSpec{'];
  const keys = [...new Set([...Object.keys(old), ...Object.keys(cur)])];
  let same = 0;
  for (const k of keys) {
    if (jsonEqual(old[k], cur[k])) {
      same++;
      continue;
    }
    if (same) lines.push(`  \t... // ${same} identical field${same > 1 ? 's' : ''}`);
    same = 0;
    if (old[k] !== undefined) lines.push(`- \t${goField(k)}: ${JSON.stringify(old[k])},`);
    if (cur[k] !== undefined) lines.push(`+ \t${goField(k)}: ${JSON.stringify(cur[k])},`);
  }
  if (same) lines.push(`  \t... // ${same} identical field${same > 1 ? 's' : ''}`);
  lines.push('  }');
  return lines.join('\n') + '\n';
}

function containerUpdates(cur: Obj[], old: Obj[], path: string): { errs: ErrorList; stop: boolean } {
  if (cur.length !== old.length)
    return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: ErrorList = [];
  cur.forEach((c, i) => {
    const image = str(c.image);
    if (!image) errs.push(required(child(index(path, i), 'image')));
    if (image.trim().length !== image.length)
      errs.push(
        invalid(child(index(path, i), 'image'), image, 'must not have leading or trailing whitespace'),
      );
  });
  return { errs, stop: false };
}

function validatePodUpdate(o: Obj, old: Obj): ErrorList {
  const errs = validateMetaUpdate(o, old);
  errs.push(...validatePodMetadataAndSpec(o));
  const spec = specOf(o);
  const oldSpec = specOf(old);
  for (const f of ['containers', 'initContainers']) {
    const r = containerUpdates(arr(spec[f]), arr(oldSpec[f]), child('spec', f));
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const ads = spec.activeDeadlineSeconds;
  const oldAds = oldSpec.activeDeadlineSeconds;
  if (typeof ads === 'number') {
    if (ads < 0 || ads > 2147483647) {
      errs.push(invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, 2147483647)));
      return errs;
    }
    if (typeof oldAds === 'number' && oldAds < ads) {
      errs.push(invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (typeof oldAds === 'number')
    errs.push(
      invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'),
    );
  const oldTolerations = arr(oldSpec.tolerations);
  const newTolerations = arr(spec.tolerations);
  oldTolerations.forEach((t, i) => {
    if (!newTolerations.some((n) => jsonEqual(n, t)))
      errs.push(
        forbidden(
          index('spec.tolerations', i),
          'existing toleration can not be modified except its tolerationSeconds',
        ),
      );
  });
  if (jsonEqual(spec, oldSpec)) return errs;
  // Munge what may change, then anything still different is forbidden.
  const munged: Obj = structuredClone(spec);
  for (const f of ['containers', 'initContainers']) {
    const olds = arr(oldSpec[f]);
    if (Array.isArray(munged[f]))
      munged[f] = (munged[f] as Obj[]).map((c, i) => {
        const m = { ...c };
        if (olds[i]?.image === undefined) delete m.image;
        else m.image = olds[i]!.image;
        return m;
      });
  }
  for (const f of ['activeDeadlineSeconds', 'tolerations', 'schedulingGates']) {
    if (oldSpec[f] === undefined) delete munged[f];
    else munged[f] = oldSpec[f];
  }
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = oldGrace;
  if (!jsonEqual(munged, oldSpec))
    errs.push(
      forbidden(
        'spec',
        `pod updates may not change fields other than ${updatableFields}\n${specDiff(oldSpec, munged)}`,
      ),
    );
  return errs;
}

export const pods: KindValidator = {
  create(o) {
    const errs = validatePodMetadataAndSpec(o);
    const spec = specOf(o);
    if (arr(spec.ephemeralContainers).length)
      errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
    return errs;
  },
  update: validatePodUpdate,
};
