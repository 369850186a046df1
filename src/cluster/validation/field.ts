/**
 * Field errors as apimachinery's `util/validation/field` builds them: the error types, the wording of
 * `ErrorBody()` (Go's `%q` for strings, `%v` for numbers and booleans, `%#v` for structs and maps),
 * field paths (`a.b[0][key]`) and the 422 `Invalid` Status of `errors.NewInvalid` (causes in order,
 * the aggregated message with duplicate texts dropped).
 */
import { ApiError, type StatusCause } from '../api/status.js';

export type ErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const typeText: Record<ErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** A value printed verbatim: what Go's `%#v` or a `String()` method would print for it. */
export class GoText {
  constructor(readonly text: string) {}
}

const omit = Symbol('omit');

export interface FieldError {
  type: ErrorType;
  field: string;
  value: unknown;
  detail: string;
}

export type ErrorList = FieldError[];

/** Go's strconv.Quote (what `%q` prints). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0x80 && c < 0xa0) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** `%#v` of a map[string]string (Go prints map keys sorted). */
export function goStringMap(m: unknown): GoText {
  if (m === undefined || m === null) return new GoText('map[string]string(nil)');
  const o = m as Record<string, unknown>;
  const parts = Object.keys(o)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(String(o[k]))}`);
  return new GoText(`map[string]string{${parts.join(', ')}}`);
}

/** `%#v` of an intstr.IntOrString. */
export function goIntOrString(v: unknown): GoText {
  return typeof v === 'string'
    ? new GoText(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`)
    : new GoText(`intstr.IntOrString{Type:0, IntVal:${Number(v ?? 0)}, StrVal:""}`);
}

/** `%#v` of a []string. */
export function goStringSlice(xs: unknown): GoText {
  if (!Array.isArray(xs)) return new GoText('[]string(nil)');
  return new GoText(`[]string{${xs.map((x) => goQuote(String(x))).join(', ')}}`);
}

/** `%#v` of a metav1.LabelSelector (the value printed for immutable or empty selectors). */
export function goLabelSelector(sel: unknown): GoText {
  const s = (sel ?? {}) as { matchLabels?: unknown; matchExpressions?: unknown };
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${(s.matchExpressions as Record<string, unknown>[])
        .map(
          (e) =>
            `v1.LabelSelectorRequirement{Key:${goQuote(String(e.key ?? ''))}, Operator:${goQuote(String(e.operator ?? ''))}, Values:${goStringSlice(e.values).text}}`,
        )
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoText(
    `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels).text}, MatchExpressions:${exprs}}`,
  );
}

function valueText(v: unknown): string {
  if (v instanceof GoText) return v.text;
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The error without its field: `Invalid value: "x": detail`. */
export function errorBody(e: FieldError): string {
  let s: string;
  if (
    e.type === 'FieldValueRequired' ||
    e.type === 'FieldValueForbidden' ||
    e.type === 'FieldValueTooLong' ||
    e.type === 'InternalError' ||
    e.value === omit
  ) {
    s = typeText[e.type];
  } else s = `${typeText[e.type]}: ${valueText(e.value)}`;
  return e.detail ? `${s}: ${e.detail}` : s;
}

export function errorText(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

// Paths: child names join with '.', indexes and keys are subscripts.
export const child = (p: string, ...names: string[]): string =>
  names.reduce((acc, n) => (acc ? `${acc}.${n}` : n), p);
export const index = (p: string, i: number): string => `${p}[${i}]`;
export const key = (p: string, k: string): string => `${p}[${k}]`;

export const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});
export const required = (field: string, detail = ''): FieldError => ({
  type: 'FieldValueRequired',
  field,
  value: '',
  detail,
});
export const forbidden = (field: string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  value: '',
  detail,
});
export const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  value,
  detail: '',
});
export const notFound = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueNotFound',
  field,
  value,
  detail: '',
});
export const notSupported = (field: string, value: unknown, valid: string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: valid.length ? `supported values: ${valid.map(goQuote).join(', ')}` : '',
});
export const tooLong = (field: string, maxLength: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  value: '',
  detail: `must have at most ${maxLength} bytes`,
});
export const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  value: actual >= 0 ? actual : omit,
  detail: max >= 0 ? `must have at most ${max} items` : 'has too many items',
});

/** `fldPath: Invalid value: …` for each message of a name/format check. */
export function eachInvalid(field: string, value: unknown, msgs: string[]): ErrorList {
  return msgs.map((m) => invalid(field, value, m));
}

export function toCauses(errs: ErrorList): StatusCause[] {
  // An empty path is left out, as the Status JSON's omitempty does.
  return errs.map((e) =>
    e.field
      ? { reason: e.type, message: errorBody(e), field: e.field }
      : { reason: e.type, message: errorBody(e) },
  );
}

/** utilerrors.Aggregate of field.ErrorList.ToAggregate(): duplicate texts dropped, `[a, b]` for many. */
export function aggregate(errs: ErrorList): string {
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const e of errs) {
    const t = errorText(e);
    if (seen.has(t)) continue;
    seen.add(t);
    texts.push(t);
  }
  return texts.length === 1 ? texts[0]! : `[${texts.join(', ')}]`;
}

/**
 * errors.NewInvalid(GroupKind, name, errs): 422 `<Kind>[.<group>] "<name>" is invalid: <errors>`.
 */
export function invalidError(kind: string, group: string, name: string, errs: ErrorList): ApiError {
  const causes = toCauses(errs);
  return new ApiError(
    422,
    'Invalid',
    `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${aggregate(errs)}`,
    {
      name,
      ...(group ? { group } : {}),
      kind,
      causes,
    },
  );
}
