/**
 * Label and field selectors with kube-apiserver's grammar and error wording. Parsed once per request
 * into closures so matching a list of 100k objects does no string work beyond map lookups.
 */
import { errors } from './status.js';

export type Labels = Record<string, string> | undefined;
export type LabelMatcher = (labels: Labels) => boolean;

const keyRe = /^([A-Za-z0-9][-A-Za-z0-9_.]*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A selector's requirements: split at commas outside parentheses (`env in (a,b)` stays whole). */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function badKey(key: string) {
  return errors.badRequest(
    `unable to parse requirement: values[0][${key}]: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  );
}

function checkValue(v: string): string {
  if (v.length > 63 || !valueRe.test(v)) {
    throw errors.badRequest(
      `unable to parse requirement: values[0][${v}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  }
  return v;
}

function checkKey(k: string): string {
  if (!keyRe.test(k)) throw badKey(k);
  return k;
}

const parseErr = (found: string) =>
  errors.badRequest(`unable to parse requirement: found '${found}', expected: in, notin, =, ==, !=, gt, lt`);

function parseRequirement(raw: string): LabelMatcher {
  const s = raw.trim();
  if (s === '') throw errors.badRequest(`unable to parse requirement: found '', expected: !, identifier`);
  if (s.startsWith('!')) {
    const k = checkKey(s.slice(1).trim());
    return (l) => l === undefined || !(k in l);
  }
  const setM = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(s);
  if (setM) {
    const k = checkKey(setM[1]!);
    const values = new Set(
      setM[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v, i, a) => v !== '' || a.length > 1)
        .map(checkValue),
    );
    return setM[2] === 'in'
      ? (l) => l !== undefined && k in l && values.has(l[k]!)
      : (l) => l === undefined || !(k in l) || !values.has(l[k]!);
  }
  const opM = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(s);
  if (opM) {
    const k = checkKey(opM[1]!);
    const op = opM[2]!;
    const v = opM[3]!.trim();
    if (op === '>' || op === '<') {
      if (!/^-?\d+$/.test(v))
        throw errors.badRequest(
          `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      const n = Number(v);
      return op === '>'
        ? (l) => l !== undefined && k in l && /^-?\d+$/.test(l[k]!) && Number(l[k]) > n
        : (l) => l !== undefined && k in l && /^-?\d+$/.test(l[k]!) && Number(l[k]) < n;
    }
    checkValue(v);
    return op === '!=' ? (l) => l === undefined || l[k] !== v : (l) => l !== undefined && l[k] === v;
  }
  if (/^\S+$/.test(s) && !/[=!()]/.test(s)) {
    const k = checkKey(s);
    return (l) => l !== undefined && k in l;
  }
  const bad = /[!()<>]/.exec(s.replace(/^[^\s=!<>()]+\s*/, ''));
  throw parseErr(bad ? bad[0] : s);
}

const labelCache = new Map<string, LabelMatcher>();

/** Parses `app=x,env in (a,b),!legacy`; undefined for an empty selector (matches everything). */
export function parseLabelSelector(text: string | null | undefined): LabelMatcher | undefined {
  if (!text || text.trim() === '') return undefined;
  const cached = labelCache.get(text);
  if (cached) return cached;
  const reqs = splitTopLevel(text).map(parseRequirement);
  const m: LabelMatcher = reqs.length === 1 ? reqs[0]! : (l) => reqs.every((r) => r(l));
  if (labelCache.size > 1000) labelCache.clear();
  labelCache.set(text, m);
  return m;
}

export type FieldGetter = (obj: Record<string, unknown>) => string | undefined;
export type FieldMatcher = (obj: Record<string, unknown>) => boolean;

const meta = (o: Record<string, unknown>) => (o.metadata ?? {}) as Record<string, unknown>;
const path =
  (...keys: string[]): FieldGetter =>
  (o) => {
    let cur: unknown = o;
    for (const k of keys)
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
    return cur === undefined || cur === null ? '' : String(cur);
  };

const commonFields: Record<string, FieldGetter> = {
  'metadata.name': (o) => meta(o).name as string,
  'metadata.namespace': (o) => (meta(o).namespace as string | undefined) ?? '',
};

/** Extra field selectors the real server supports per resource (beyond metadata.name/namespace). */
const extraFields: Record<string, Record<string, FieldGetter>> = {
  pods: {
    'spec.nodeName': path('spec', 'nodeName'),
    'spec.restartPolicy': path('spec', 'restartPolicy'),
    'spec.schedulerName': path('spec', 'schedulerName'),
    'spec.serviceAccountName': path('spec', 'serviceAccountName'),
    'status.phase': path('status', 'phase'),
    'status.podIP': path('status', 'podIP'),
    'status.nominatedNodeName': path('status', 'nominatedNodeName'),
  },
  secrets: { type: path('type') },
  namespaces: { 'status.phase': path('status', 'phase') },
  nodes: { 'spec.unschedulable': path('spec', 'unschedulable') },
  events: {
    'involvedObject.kind': path('involvedObject', 'kind'),
    'involvedObject.name': path('involvedObject', 'name'),
    'involvedObject.namespace': path('involvedObject', 'namespace'),
    'involvedObject.uid': path('involvedObject', 'uid'),
    reason: path('reason'),
    type: path('type'),
  },
};

/** Parses a field selector for one resource; `custom` selects the CR wording of errors. */
export function parseFieldSelector(
  text: string | null | undefined,
  storageKey: string,
  custom: boolean,
): FieldMatcher | undefined {
  if (!text || text.trim() === '') return undefined;
  const fields = { ...commonFields, ...(extraFields[storageKey] ?? {}) };
  const reqs: FieldMatcher[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*([^=!]*?)\s*$/.exec(part);
    if (!m) throw errors.badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const get = fields[field];
    if (!get) {
      if (custom) throw errors.badRequest(`field label not supported: ${field}`);
      const known = Object.keys(fields)
        .map((f) => `"${f}"`)
        .join(', ');
      throw errors.badRequest(`"${field}" is not a known field selector: only ${known}`);
    }
    reqs.push(op === '!=' ? (o) => get(o) !== value : (o) => get(o) === value);
  }
  return reqs.length === 1 ? reqs[0] : (o) => reqs.every((r) => r(o));
}
