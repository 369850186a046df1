/**
 * Request body decoding and response encoding (JSON, YAML; pretty for curl like the real server).
 */
import {
  parse,
  stringify,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
  type ToJSOptions,
  type ToStringOptions,
} from 'yaml';
import { decodeProtobuf } from './protobuf.js';
import { errors } from './status.js';
import { goQuote } from './request-options.js';
import type { ApiRequest } from './context.js';

export type MediaType = 'json' | 'yaml' | 'protobuf';

/** Content-Type of a create/update body; 415 otherwise. */
export function bodyMediaType(contentType: string | undefined): MediaType {
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (ct === 'application/json' || ct === '') return 'json';
  if (ct === 'application/yaml') return 'yaml';
  if (ct === 'application/vnd.kubernetes.protobuf') return 'protobuf';
  throw errors.unsupportedMediaType(
    'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  );
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/** The patch type of a PATCH's Content-Type (parameters ignored); undefined means 415. */
export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  return patchTypes[(contentType ?? '').split(';')[0]!.trim().toLowerCase()];
}

type Tag = Exclude<NonNullable<SchemaOptions['customTags']>, (tags: never) => unknown>[number];
const yamlTag = 'tag:yaml.org,2002:';

/** go-yaml resolves "." (and "+.") as a string (ParseFloat fails); YAML 1.1's float pattern would not. */
function goFloat(t: Tag): Tag {
  return typeof t !== 'string' && t.tag === yamlTag + 'float' && !t.format && t.test?.source.includes(')?\\.')
    ? { ...t, test: /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/ }
    : t;
}

/**
 * YAML request bodies as Kubernetes reads them (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1, so
 * `on`/`off`/`yes`/`no`/`y`/`n` are booleans (as map keys they become "true"/"false"), `0755` is
 * octal; but timestamps and `1:20` stay strings, duplicate keys keep the last value.
 */
const yamlIn: ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions = {
  version: '1.1',
  uniqueKeys: false,
  maxAliasCount: 100,
  customTags: (tags) =>
    (tags as Tag[])
      .filter((t) => {
        const tag = typeof t === 'string' ? t : t.tag;
        const dropped = ['timestamp', 'binary', 'omap', 'pairs', 'set'].some((x) => tag === yamlTag + x);
        return !dropped && (typeof t === 'string' || t.format !== 'TIME');
      })
      .map(goFloat),
};

export function parseYaml(text: string): unknown {
  return parse(text, yamlIn) as unknown;
}

function snippet(text: string): string {
  return text.length > 30 ? `${text.slice(0, 30)} ...` : text;
}

/** Go's json error wording for the common cases (enough for clients that print them). */
function goJsonError(text: string, e: Error): string {
  if (text.trim() === '' || /Unexpected end|end of JSON|Unterminated/i.test(e.message))
    return 'unexpected end of JSON input';
  const m = /position (\d+)/.exec(e.message);
  if (m && Number(m[1]) >= text.length) return 'unexpected end of JSON input';
  const ch = m ? text[Number(m[1])] : undefined;
  return ch !== undefined ? `invalid character '${ch}' looking for beginning of value` : e.message;
}

/** Parses a body into a JSON value; a syntax error is the real server's 400 wording. */
export function decodeBody(buf: Buffer, type: MediaType, kindForError: string): unknown {
  if (type === 'protobuf') return decodeProtobuf(buf, kindForError);
  const text = buf.toString('utf8');
  if (type === 'yaml') {
    try {
      return parseYaml(text);
    } catch (e) {
      throw errors.badRequest(
        `the object provided is unrecognized (must be of type ${kindForError}): couldn't get version/kind; yaml: ${(e as Error).message.split('\n')[0]} (${snippet(text)})`,
      );
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(
      `the object provided is unrecognized (must be of type ${kindForError}): couldn't get version/kind; json parse error: ${goJsonError(text, e as Error)} (${snippet(text)})`,
    );
  }
}

/** Parses any JSON-or-YAML body without kind context (patches, DeleteOptions). */
export function decodeLoose(buf: Buffer, yaml: boolean): unknown {
  const text = buf.toString('utf8');
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(
      `error decoding ${yaml ? 'YAML' : 'patch'}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
}

export interface Negotiated {
  type: 'json' | 'yaml' | 'protobuf';
  /** For protobuf: what to answer for kinds without a protobuf form (CRs), if acceptable. */
  fallback?: Negotiated;
  /** kubectl asked for a Table (and accepts JSON as fallback). */
  table: boolean;
  /** meta.k8s.io version of the Table asked for first (kubectl: v1, then v1beta1). */
  tableVersion?: 'v1' | 'v1beta1';
  /** Metadata-only clients (PartialObjectMetadata / PartialObjectMetadataList). */
  metadataOnly?: boolean;
}

const acceptCache = new Map<string, Negotiated | null>();

/** Picks the response type from Accept; undefined means 406. */
export function negotiate(accept: string | undefined): Negotiated | undefined {
  if (!accept) return { type: 'json', table: false };
  const hit = acceptCache.get(accept);
  if (hit !== undefined) return hit ?? undefined;
  let result: Negotiated | null = null;
  let proto: Negotiated | null = null;
  let table = false;
  let tableVersion: 'v1' | 'v1beta1' | undefined;
  for (const raw of accept.split(',')) {
    const [mt, ...params] = raw.split(';').map((s) => s.trim().toLowerCase());
    const isTable = params.includes('as=table');
    if (params.includes('as=partialobjectmetadatalist') || params.includes('as=partialobjectmetadata')) {
      if (mt === 'application/json') {
        result = { type: 'json', table: false, metadataOnly: true };
        break;
      }
      if (mt === 'application/vnd.kubernetes.protobuf' && !proto)
        proto = { type: 'protobuf', table: false, metadataOnly: true };
      continue;
    }
    if (mt === 'application/vnd.kubernetes.protobuf' && !isTable && params.length === 0) {
      // Protobuf first; the next acceptable type serves kinds without a protobuf form.
      if (!proto) proto = { type: 'protobuf', table };
      continue;
    }
    if (params.some((p) => p.startsWith('as=') && p !== 'as=table')) continue;
    if (isTable) {
      const v = params.find((x) => x.startsWith('v='))?.slice(2) ?? 'v1';
      const g = params.find((x) => x.startsWith('g='))?.slice(2) ?? 'meta.k8s.io';
      if (g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1')) continue;
      table = true;
      tableVersion ??= v;
      continue;
    }
    if (mt === 'application/json' || mt === '*/*' || mt === 'application/*') {
      result = table ? { type: 'json', table, tableVersion } : { type: 'json', table };
      break;
    }
    if (mt === 'application/yaml') {
      result = { type: 'yaml', table: false };
      break;
    }
  }
  // Only Table types acceptable (a client asking for meta.k8s.io/v1beta1 Tables): a Table it is.
  if (!result && table) result = { type: 'json', table, tableVersion };
  if (proto) result = { ...proto, fallback: result ?? undefined };
  if (acceptCache.size > 200) acceptCache.clear();
  acceptCache.set(accept, result);
  return result ?? undefined;
}

/** go-yaml v2's map key order (sorter.go): runs of digits compare as numbers, non-letters first. */
export function goYamlKeyCompare(a: string, b: string): number {
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]! ? -1 : 1;
    if (al || bl) return bl ? -1 : 1;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return ar[i]! < br[i]! ? -1 : 1;
  }
  return ar.length - br.length;
}

/**
 * YAML output as sigs.k8s.io/yaml writes it (JSON → go-yaml v2): every map's keys sorted
 * (apiVersion first), sequences not indented under their key, strings that would read back as
 * something else double-quoted, multi-line strings as literal blocks.
 */
const yamlOut: ToStringOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  indentSeq: false,
  lineWidth: 0,
  blockQuote: 'literal',
  sortMapEntries: (a, b) =>
    goYamlKeyCompare(
      String((a.key as { value?: unknown })?.value ?? a.key),
      String((b.key as { value?: unknown })?.value ?? b.key),
    ),
  customTags: (tags) => (tags as Tag[]).map(goFloat),
};

export function encodeYaml(json: string): string {
  return stringify(JSON.parse(json), yamlOut);
}

/**
 * Paths of duplicate object keys in a JSON text, in document order, as sigs.k8s.io/json's strict
 * decoder names them (`data.a`, `spec.containers[0].name`). JSON.parse keeps the last value
 * silently; this scan runs on every create/update body (fieldValidation Warn is the default), so it
 * only skips over strings and compares keys per object, allocating nothing on a clean body.
 */
export function duplicateFields(text: string): string[] {
  const out: string[] = [];
  // Per open container: its keys so far (objects) or -1 (arrays), the current key or index.
  const keys: (string[] | null)[] = [];
  const at: (string | number | undefined)[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // A string: its end is the next quote not preceded by an odd number of backslashes.
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0) return out;
        let b = j - 1;
        while (text.charCodeAt(b) === 0x5c) b--;
        if ((j - 1 - b) % 2 === 0) break;
        j++;
      }
      const top = keys.length - 1;
      const frame = top >= 0 ? keys[top] : null;
      if (frame !== null && frame !== undefined && at[top] === undefined) {
        // Object frame expecting a key (escapes decoded only when there are any).
        const raw = text.slice(i + 1, j);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, j + 1)) as string) : raw;
        if (frame.includes(key)) out.push(fieldPath(at, top, key));
        else frame.push(key);
        at[top] = key;
      }
      i = j + 1;
      continue;
    }
    if (c === 0x7b /* { */) {
      keys.push([]);
      at.push(undefined);
    } else if (c === 0x5b /* [ */) {
      keys.push(null);
      at.push(0);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      keys.pop();
      at.pop();
    } else if (c === 0x2c /* , */) {
      const top = keys.length - 1;
      if (top >= 0) at[top] = keys[top] === null ? (at[top] as number) + 1 : undefined;
    }
    i++;
  }
  return out;
}

function fieldPath(at: (string | number | undefined)[], top: number, key: string): string {
  let p = '';
  for (let k = 0; k < top; k++) {
    const a = at[k] ?? '';
    p += typeof a === 'number' ? `[${a}]` : p === '' ? a : `.${a}`;
  }
  return p === '' ? key : `${p}.${key}`;
}

/** ObjectMeta's JSON fields (v1.28). */
const objectMetaFields = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/**
 * The strict decoding errors kube-apiserver finds while decoding a create/update body (duplicate
 * fields and, when asked, unknown fields under metadata), in its wording; unknown metadata fields
 * are dropped.
 */
function strictDecodingIssues(
  body: Buffer,
  type: MediaType,
  obj: Record<string, unknown>,
  duplicates: boolean,
  metadata: boolean,
): string[] {
  const issues =
    duplicates && type === 'json'
      ? duplicateFields(body.toString('utf8')).map((p) => `duplicate field ${goQuote(p)}`)
      : [];
  const meta = obj.metadata;
  if (metadata && meta !== null && typeof meta === 'object' && !Array.isArray(meta)) {
    for (const k of Object.keys(meta)) {
      if (objectMetaFields.has(k)) continue;
      issues.push(`unknown field ${goQuote(`metadata.${k}`)}`);
      delete (meta as Record<string, unknown>)[k];
    }
  }
  return issues;
}

/**
 * Strict decoding of a create/update body per `fieldValidation`: Strict → 400 with every issue,
 * Warn (the default) → Warning headers (req.warnings), Ignore → silently dropped. Unknown fields
 * of built-in kinds, metadata included, are found later along the type table (crd/admission.ts);
 * `metadata` asks for them here (custom resources).
 */
export function strictDecoding(
  kind: string,
  version: string,
  req: ApiRequest,
  type: MediaType,
  obj: Record<string, unknown>,
  metadata: boolean,
): void {
  const mode = req.query.get('fieldValidation') ?? '';
  const issues = strictDecodingIssues(req.body ?? Buffer.alloc(0), type, obj, mode !== 'Ignore', metadata);
  if (!issues.length || mode === 'Ignore') return;
  if (mode === 'Strict') {
    throw errors.badRequest(
      `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${issues.join(', ')}`,
    );
  }
  (req.warnings ??= []).push(...issues);
}
