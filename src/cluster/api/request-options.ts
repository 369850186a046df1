/**
 * Query parameters as kube-apiserver decodes and validates them (metav1 Create/Update/Patch/Delete/
 * ListOptions): Go's query conversions (booleans: only "0" and "false" in any case are false;
 * integers via strconv.ParseInt, 400 otherwise) and the options validation (422 `…Options.meta.k8s.io
 * "" is invalid` with every cause, as field.ErrorList renders them).
 */
import { ApiError, errors, type StatusCause } from './status.js';

/** Go's conversion of a boolean query parameter (runtime.Convert_Slice_string_To_bool). */
export function queryBool(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v !== null && v !== '0' && v.toLowerCase() !== 'false';
}

/** Go's %q of a string (strconv.Quote), for values inside field error messages. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c in goEscapes) out += goEscapes[c];
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (/[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else
      out += c > 0xffff ? '\\U' + c.toString(16).padStart(8, '0') : '\\u' + c.toString(16).padStart(4, '0');
  }
  return out + '"';
}
const goEscapes: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/** strconv.ParseInt(text, 10, 64) with Go's error text, as a 400 (query decoding error). */
function parseInt64(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) {
    throw errors.badRequest(`strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`);
  }
  const n = BigInt(text);
  if (n > 9223372036854775807n || n < -9223372036854775808n) {
    throw errors.badRequest(`strconv.ParseInt: parsing ${goQuote(text)}: value out of range`);
  }
  return Number(n);
}

/** An int64 query parameter (undefined when absent). */
export function int64Param(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  return v === null ? undefined : parseInt64(v);
}

/** field.Error constructors, rendered as k8s.io/apimachinery/pkg/util/validation/field does. */
const fieldErrors = {
  forbidden: (field: string, detail: string): StatusCause => ({
    reason: 'FieldValueForbidden',
    message: `Forbidden: ${detail}`,
    field,
  }),
  required: (field: string, detail: string): StatusCause => ({
    reason: 'FieldValueRequired',
    message: `Required value: ${detail}`,
    field,
  }),
  tooLong: (field: string, max: number): StatusCause => ({
    reason: 'FieldValueTooLong',
    message: `Too long: must have at most ${max} bytes`,
    field,
  }),
  /** `value` is already rendered (%q of a string, %#v of a slice, …). */
  invalid: (field: string, value: string, detail: string): StatusCause => ({
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${value}: ${detail}`,
    field,
  }),
  notSupported: (field: string, value: string, supported: string[]): StatusCause => ({
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${value}: supported values: ${supported.map((v) => goQuote(v)).join(', ')}`,
    field,
  }),
};

/** `errors.NewInvalid(GroupKind{meta.k8s.io, kind}, "", errs)`. */
function invalidOptions(kind: string, causes: StatusCause[]): ApiError {
  return errors.invalid(kind, 'meta.k8s.io', '', causes);
}

const goStringSlice = (v: string[]) => `[]string{${v.map(goQuote).join(', ')}}`;

function dryRunErrors(q: URLSearchParams, out: StatusCause[]): void {
  const dry = q.getAll('dryRun');
  if (dry.some((v) => v !== 'All')) out.push(fieldErrors.notSupported('dryRun', goStringSlice(dry), ['All']));
}

function fieldManagerErrors(manager: string, out: StatusCause[]): void {
  if (Buffer.byteLength(manager) > 128) out.push(fieldErrors.tooLong('fieldManager', 128));
  let pos = 0;
  for (const ch of manager) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) {
      const u = 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      out.push(
        fieldErrors.invalid('fieldManager', goQuote(manager), `invalid character ${u} (at position ${pos})`),
      );
    }
    pos += Buffer.byteLength(ch);
  }
}

const fieldValidations = ['', 'Ignore', 'Strict', 'Warn'];

type WriteOptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

/**
 * Validation of the options of a create, update or patch (ValidateCreateOptions & co.): dryRun
 * other than All, fieldValidation other than Strict/Warn/Ignore, fieldManager over 128 bytes or
 * with unprintable characters, `force` on a non-apply patch, apply without fieldManager.
 */
export function validateWriteOptions(q: URLSearchParams, kind: WriteOptionsKind, apply = false): void {
  const out: StatusCause[] = [];
  const manager = q.get('fieldManager') ?? '';
  if (kind === 'PatchOptions') {
    if (!apply && q.has('force'))
      out.push(fieldErrors.forbidden('force', 'may not be specified for non-apply patch'));
    if (apply && manager === '')
      out.push(fieldErrors.required('fieldManager', 'is required for apply patch'));
  }
  fieldManagerErrors(manager, out);
  dryRunErrors(q, out);
  const fv = q.get('fieldValidation') ?? '';
  if (!fieldValidations.includes(fv))
    out.push(fieldErrors.notSupported('fieldValidation', goQuote(fv), fieldValidations));
  if (out.length) throw invalidOptions(kind, out);
}

/** DeleteOptions as the handler sees them (body, or query parameters when there is no body). */
interface DeleteOptionsInput {
  orphanDependents?: unknown;
  propagationPolicy?: unknown;
  dryRun?: unknown;
}

/** ValidateDeleteOptions. */
export function validateDeleteOptions(o: DeleteOptionsInput): void {
  const out: StatusCause[] = [];
  const p = o.propagationPolicy;
  if (o.orphanDependents !== undefined && o.orphanDependents !== null && p !== undefined && p !== null) {
    out.push(
      fieldErrors.invalid(
        'propagationPolicy',
        goQuote(String(p)),
        'orphanDependents and deletionPropagation cannot be both set',
      ),
    );
  }
  if (p !== undefined && p !== null && p !== 'Foreground' && p !== 'Background' && p !== 'Orphan') {
    out.push(
      fieldErrors.notSupported('propagationPolicy', goQuote(String(p)), [
        'Foreground',
        'Background',
        'Orphan',
        'nil',
      ]),
    );
  }
  const dry = Array.isArray(o.dryRun) ? o.dryRun.map(String) : [];
  if (dry.some((v) => v !== 'All')) out.push(fieldErrors.notSupported('dryRun', goStringSlice(dry), ['All']));
  if (out.length) throw invalidOptions('DeleteOptions', out);
}

/**
 * Decoding (400) and validation (422, every cause) of ListOptions for a list or a watch, in the
 * order kube-apiserver checks them (internalversion/validation ValidateListOptions).
 */
export function validateListOptions(q: URLSearchParams, watch: boolean): void {
  int64Param(q, 'timeoutSeconds');
  int64Param(q, 'limit');
  const match = q.get('resourceVersionMatch') ?? '';
  const cont = q.get('continue') ?? '';
  const initialEvents = q.has('sendInitialEvents');
  const out: StatusCause[] = [];
  const rvm = 'resourceVersionMatch';
  if (watch) {
    if (initialEvents) {
      if (match !== 'NotOlderThan')
        out.push(
          fieldErrors.forbidden(
            rvm,
            'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
          ),
        );
      out.push(
        fieldErrors.forbidden(
          'sendInitialEvents',
          'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
        ),
      );
    }
    if (match) {
      if (!initialEvents)
        out.push(
          fieldErrors.forbidden(
            rvm,
            'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
          ),
        );
      if (match !== 'NotOlderThan') out.push(fieldErrors.notSupported(rvm, goQuote(match), ['NotOlderThan']));
      if (cont)
        out.push(fieldErrors.forbidden(rvm, 'resourceVersionMatch is forbidden when continue is provided'));
    }
  } else {
    if (match) {
      if (!q.get('resourceVersion'))
        out.push(
          fieldErrors.forbidden(rvm, 'resourceVersionMatch is forbidden unless resourceVersion is provided'),
        );
      if (cont)
        out.push(fieldErrors.forbidden(rvm, 'resourceVersionMatch is forbidden when continue is provided'));
      if (match !== 'Exact' && match !== 'NotOlderThan')
        out.push(fieldErrors.notSupported(rvm, goQuote(match), ['Exact', 'NotOlderThan', '']));
      if (match === 'Exact' && q.get('resourceVersion') === '0')
        out.push(
          fieldErrors.forbidden(rvm, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'),
        );
    }
    if (initialEvents)
      out.push(fieldErrors.forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  if (out.length) throw invalidOptions('ListOptions', out);
}
