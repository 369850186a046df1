/**
 * Request body decoding and response encoding (JSON, YAML; pretty for curl like the real server).
 */
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { decodeProtobuf } from './protobuf.js';
import { errors } from './status.js';

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
      return parseYaml(text, { maxAliasCount: 100 });
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
    return yaml ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
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

export function encodeYaml(json: string): string {
  return toYaml(JSON.parse(json));
}
