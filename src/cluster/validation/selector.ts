/**
 * metav1.LabelSelector: validation (ValidateLabelSelector) and matching against a label set, as
 * workload validation uses them (a nil selector matches nothing, an empty one everything).
 */
import { jsonEqual } from '../api/objects.js';
import {
  child,
  eachInvalid,
  forbidden,
  goLabelSelector,
  index,
  invalid,
  required,
  type ErrorList,
} from './field.js';
import { fieldImmutable, validateLabels } from './meta.js';
import { isQualifiedName, isValidLabelValue } from './names.js';
import { isObj, specOf, type Obj } from './values.js';

/** spec.selector is immutable (workloads and Jobs). */
export const selectorImmutable = (o: Obj, old: Obj): ErrorList =>
  jsonEqual(specOf(o).selector ?? null, specOf(old).selector ?? null)
    ? []
    : [invalid('spec.selector', goLabelSelector(specOf(o).selector), fieldImmutable)];

export function validateLabelSelector(sel: unknown, path: string): ErrorList {
  if (!isObj(sel)) return [];
  const errs = validateLabels(sel.matchLabels, child(path, 'matchLabels'));
  const exprs = Array.isArray(sel.matchExpressions) ? (sel.matchExpressions as Obj[]) : [];
  exprs.forEach((e, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const values = Array.isArray(e.values) ? (e.values as unknown[]) : [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (!values.length)
          errs.push(required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length)
          errs.push(
            forbidden(
              child(p, 'values'),
              "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            ),
          );
        break;
      default:
        errs.push(invalid(child(p, 'operator'), e.operator ?? '', 'not a valid selector operator'));
    }
    const k = typeof e.key === 'string' ? e.key : '';
    errs.push(...eachInvalid(child(p, 'key'), k, isQualifiedName(k)));
    values.forEach((v, j) =>
      errs.push(...eachInvalid(index(child(p, 'values'), j), String(v), isValidLabelValue(String(v)))),
    );
  });
  return errs;
}

/** LabelSelectorAsSelector's own failures (which make workload validation say "invalid label selector"). */
export function selectorParseable(sel: unknown): boolean {
  if (!isObj(sel)) return true;
  const exprs = Array.isArray(sel.matchExpressions) ? (sel.matchExpressions as Obj[]) : [];
  return exprs.every((e) => {
    const n = Array.isArray(e.values) ? e.values.length : 0;
    if (e.operator === 'In' || e.operator === 'NotIn') return n > 0;
    if (e.operator === 'Exists' || e.operator === 'DoesNotExist') return n === 0;
    return false;
  });
}

export const selectorEmpty = (sel: unknown): boolean =>
  isObj(sel) &&
  Object.keys(isObj(sel.matchLabels) ? sel.matchLabels : {}).length === 0 &&
  (Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0) === 0;

/** Whether `labels` match `sel` (nil selector: nothing; empty: everything). */
export function selectorMatches(sel: unknown, labels: Record<string, string> | undefined): boolean {
  if (!isObj(sel)) return false;
  const l = labels ?? {};
  const ml = isObj(sel.matchLabels) ? sel.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (l[k] !== v) return false;
  const exprs = Array.isArray(sel.matchExpressions) ? (sel.matchExpressions as Obj[]) : [];
  for (const e of exprs) {
    const k = String(e.key);
    const values = (Array.isArray(e.values) ? e.values : []).map(String);
    const has = Object.prototype.hasOwnProperty.call(l, k);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(l[k]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[k]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
