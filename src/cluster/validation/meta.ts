/**
 * ObjectMeta validation (apimachinery `api/validation/objectmeta.go`, plus core's extra finalizer
 * check): names and generateName, namespace, labels, annotations, owner references, finalizers, and
 * the update rules (immutable identity fields, no new finalizers while terminating). The request
 * options' fieldManager check is here too.
 */
import {
  child,
  eachInvalid,
  forbidden,
  goQuote,
  GoText,
  index,
  invalid,
  required,
  tooLong,
  type ErrorList,
} from './field.js';
import {
  byteLength,
  isQualifiedName,
  isValidLabelValue,
  validateNamespaceName,
  nameIsDNSSubdomain,
  validatePathSegmentName,
  type NameFn,
} from './names.js';
import { isObj, type Obj, str } from './values.js';

export const fieldImmutable = 'field is immutable';
export const isNegativeErrorMsg = 'must be greater than or equal to 0';

/**
 * Strings already known to be valid label keys / values / annotation keys: the same few keys recur on
 * every object of a run, and this check is on every write (bounded; cleared when full).
 */
const known = { keys: new Set<string>(), values: new Set<string>(), annotations: new Set<string>() };
const knownLimit = 10_000;

function checked(set: Set<string>, s: string, check: (s: string) => string[]): string[] {
  if (set.has(s)) return [];
  const msgs = check(s);
  if (!msgs.length) {
    if (set.size >= knownLimit) set.clear();
    set.add(s);
  }
  return msgs;
}

export function validateLabels(labels: unknown, path: string): ErrorList {
  const errs: ErrorList = [];
  if (!isObj(labels)) return errs;
  for (const k in labels) {
    const v = String(labels[k]);
    const keyMsgs = checked(known.keys, k, isQualifiedName);
    if (keyMsgs.length) errs.push(...eachInvalid(path, k, keyMsgs));
    const valueMsgs = checked(known.values, v, isValidLabelValue);
    if (valueMsgs.length) errs.push(...eachInvalid(path, v, valueMsgs));
  }
  return errs;
}

const totalAnnotationSizeLimit = 256 * 1024;

export function validateAnnotations(annotations: unknown, path: string): ErrorList {
  const errs: ErrorList = [];
  if (!isObj(annotations)) return errs;
  let size = 0;
  for (const k in annotations) {
    // A qualified name, except that case does not matter.
    const msgs = checked(known.annotations, k, (x) => isQualifiedName(x.toLowerCase()));
    if (msgs.length) errs.push(...eachInvalid(path, k, msgs));
    size += byteLength(k) + byteLength(String(annotations[k]));
  }
  if (size > totalAnnotationSizeLimit) errs.push(tooLong(path, totalAnnotationSizeLimit));
  return errs;
}

function validateOwnerReferences(refs: unknown, path: string): ErrorList {
  const errs: ErrorList = [];
  if (!Array.isArray(refs)) return errs;
  let firstController = '';
  for (const r of refs) {
    if (!isObj(r)) continue;
    const apiVersion = str(r.apiVersion);
    const parts = apiVersion.split('/');
    const version = parts.length === 1 ? parts[0] : parts.length === 2 ? parts[1] : '';
    if (!version) errs.push(invalid(child(path, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (!str(r.kind)) errs.push(invalid(child(path, 'kind'), str(r.kind), 'kind must not be empty'));
    if (!str(r.name)) errs.push(invalid(child(path, 'name'), str(r.name), 'name must not be empty'));
    if (!str(r.uid)) errs.push(invalid(child(path, 'uid'), str(r.uid), 'uid must not be empty'));
    if (apiVersion === 'v1' && r.kind === 'Event') {
      errs.push(
        invalid(
          path,
          new GoText(
            `v1.OwnerReference{APIVersion:"v1", Kind:"Event", Name:${goQuote(str(r.name))}, UID:${goQuote(str(r.uid))}}`,
          ),
          '/v1, Kind=Event is disallowed from being an owner',
        ),
      );
    }
    if (r.controller === true) {
      const cur = `${str(r.kind)}/${str(r.name)}`;
      if (firstController) {
        errs.push(
          invalid(
            path,
            new GoText(`[]v1.OwnerReference{…}`),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
          ),
        );
      } else firstController = cur;
    }
  }
  return errs;
}

function validateFinalizers(finalizers: unknown, path: string): ErrorList {
  const errs: ErrorList = [];
  if (!Array.isArray(finalizers)) return errs;
  for (const f of finalizers) errs.push(...eachInvalid(path, String(f), isQualifiedName(String(f))));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(
      invalid(
        path,
        new GoText(`[]string{${finalizers.map((f) => goQuote(String(f))).join(', ')}}`),
        'finalizer orphan and foregroundDeletion cannot be both set',
      ),
    );
  }
  return errs;
}

const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** Core kinds only: a finalizer without a '/' must be one of the standard ones. */
const kubeFinalizerName = (f: string, path: string): ErrorList =>
  !f.includes('/') && !standardFinalizers.has(f)
    ? [invalid(path, f, 'name is neither a standard finalizer name nor is it fully qualified')]
    : [];

function validateKubeFinalizerNames(finalizers: unknown, path: string): ErrorList {
  if (!Array.isArray(finalizers)) return [];
  return finalizers.flatMap((f, i) => kubeFinalizerName(String(f), index(path, i)));
}

/** validateFinalizerName (namespaces/finalize): a qualified name, and a standard one without a '/'. */
export const validateFinalizerName = (f: string, path: string): ErrorList => [
  ...eachInvalid(path, f, isQualifiedName(f)),
  ...kubeFinalizerName(f, path),
];

export interface MetaRules {
  namespaced: boolean;
  nameFn: NameFn;
  /** Built-in (non-CR) kinds also check finalizer names against the standard ones. */
  kubeFinalizers: boolean;
}

/** The rules of most built-in kinds: DNS-subdomain names, standard finalizer names checked. */
export const builtinMeta = (namespaced = true, nameFn: NameFn = nameIsDNSSubdomain): MetaRules => ({
  namespaced,
  nameFn,
  kubeFinalizers: true,
});

/** ValidateObjectMeta on create (after name generation). */
export function validateObjectMeta(meta: Obj, rules: MetaRules, path = 'metadata'): ErrorList {
  const errs: ErrorList = [];
  const generateName = str(meta.generateName);
  if (generateName)
    errs.push(...eachInvalid(child(path, 'generateName'), generateName, rules.nameFn(generateName, true)));
  const name = str(meta.name);
  if (!name) errs.push(required(child(path, 'name'), 'name or generateName is required'));
  else errs.push(...eachInvalid(child(path, 'name'), name, rules.nameFn(name, false)));
  const ns = str(meta.namespace);
  if (rules.namespaced) {
    if (!ns) errs.push(required(child(path, 'namespace')));
    else errs.push(...eachInvalid(child(path, 'namespace'), ns, validateNamespaceName(ns, false)));
  } else if (ns) errs.push(forbidden(child(path, 'namespace'), 'not allowed on this type'));
  errs.push(...validateLabels(meta.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, child(path, 'finalizers')));
  if (rules.kubeFinalizers)
    errs.push(...validateKubeFinalizerNames(meta.finalizers, child(path, 'finalizers')));
  return errs;
}

function immutable(newVal: unknown, oldVal: unknown, path: string): ErrorList {
  return JSON.stringify(newVal ?? null) === JSON.stringify(oldVal ?? null)
    ? []
    : [invalid(path, newVal ?? null, fieldImmutable)];
}

/** ValidateObjectMetaUpdate. */
export function validateObjectMetaUpdate(
  meta: Obj,
  old: Obj,
  rules: Pick<MetaRules, 'kubeFinalizers'>,
  path = 'metadata',
): ErrorList {
  const errs: ErrorList = [];
  if (old.deletionTimestamp) {
    const before = new Set(Array.isArray(old.finalizers) ? old.finalizers : []);
    const extra = [...new Set(Array.isArray(meta.finalizers) ? (meta.finalizers as string[]) : [])]
      .filter((f) => !before.has(f))
      .sort();
    if (extra.length)
      errs.push(
        forbidden(
          child(path, 'finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map(goQuote).join(', ')}}`,
        ),
      );
  }
  if (
    typeof meta.generation === 'number' &&
    typeof old.generation === 'number' &&
    meta.generation < old.generation
  )
    errs.push(invalid(child(path, 'generation'), meta.generation, 'must not be decremented'));
  errs.push(...immutable(meta.name, old.name, child(path, 'name')));
  errs.push(...immutable(meta.namespace, old.namespace, child(path, 'namespace')));
  errs.push(...immutable(meta.uid, old.uid, child(path, 'uid')));
  errs.push(...validateLabels(meta.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, child(path, 'ownerReferences')));
  if (rules.kubeFinalizers)
    errs.push(...validateKubeFinalizerNames(meta.finalizers, child(path, 'finalizers')));
  return errs;
}

/** ValidateObjectMetaUpdate of two whole objects. */
export const validateMetaUpdate = (o: Obj, old: Obj, kubeFinalizers = true): ErrorList =>
  validateObjectMetaUpdate(o.metadata as Obj, old.metadata as Obj, { kubeFinalizers });

/**
 * An update validator from a create one that checks metadata too: the update rules replace its
 * metadata errors (a kind whose ValidateUpdate is ObjectMetaUpdate plus the spec checks).
 */
export const metaUpdateThen =
  (validate: (o: Obj) => ErrorList) =>
  (o: Obj, old: Obj): ErrorList => [
    ...validateMetaUpdate(o, old),
    ...validate(o).filter((e) => !e.field.startsWith('metadata.')),
  ];

/**
 * The registry's own checks after a kind's create validation passed (names must sit in a URL path).
 */
export function commonCreate(meta: Obj): ErrorList {
  // After the kind's own ObjectMeta checks passed, only the path-segment name rules can add errors.
  const errs: ErrorList = [];
  const generateName = str(meta.generateName);
  if (generateName)
    errs.push(
      ...eachInvalid(
        child('metadata', 'generateName'),
        generateName,
        validatePathSegmentName(generateName, true),
      ),
    );
  const name = str(meta.name);
  if (name) errs.push(...eachInvalid(child('metadata', 'name'), name, validatePathSegmentName(name, false)));
  return errs;
}

/** The registry's common checks that run before a kind's update validation. */
export function commonUpdate(meta: Obj, old: Obj, namespaced: boolean): ErrorList {
  return [
    ...validateObjectMeta(meta, { namespaced, nameFn: validatePathSegmentName, kubeFinalizers: false }),
    ...validateObjectMetaUpdate(meta, old, { kubeFinalizers: false }),
  ];
}

/** ValidateNonnegativeField. */
export function nonNegative(v: unknown, path: string): ErrorList {
  return typeof v === 'number' && v < 0 ? [invalid(path, v, isNegativeErrorMsg)] : [];
}

/** The status counts a status strategy checks: each of `fields` of `o.status` non-negative. */
export function statusCounts(o: Obj, fields: string[]): ErrorList {
  const st = isObj(o.status) ? o.status : {};
  return fields.flatMap((f) => nonNegative(st[f], `status.${f}`));
}
