/**
 * JSON merge patch (RFC 7386) and JSON patch (RFC 6902) on plain JSON values. Strategic merge patch
 * lives in strategic-merge.ts.
 */
import { ApiError, errors } from './status.js';

type Json = unknown;

const isObj = (v: Json): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return patch;
  const out: Record<string, Json> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unescape(tok: string): string {
  return tok.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(p: unknown): string[] {
  if (typeof p !== 'string') throw errors.unprocessable();
  if (p === '') return [];
  if (!p.startsWith('/')) throw errors.unprocessable();
  return p.slice(1).split('/').map(unescape);
}

function container(doc: Json, toks: string[]): Json {
  let cur = doc;
  for (const t of toks) {
    if (Array.isArray(cur)) {
      const i = Number(t);
      if (!/^\d+$/.test(t) || i >= cur.length) throw errors.unprocessable();
      cur = cur[i];
    } else if (isObj(cur)) {
      if (!(t in cur)) throw errors.unprocessable();
      cur = cur[t];
    } else throw errors.unprocessable();
  }
  return cur;
}

function getAt(doc: Json, toks: string[]): Json {
  return container(doc, toks);
}

function removeAt(doc: Json, toks: string[]): Json {
  if (toks.length === 0) throw errors.unprocessable();
  const parent = container(doc, toks.slice(0, -1));
  const last = toks[toks.length - 1]!;
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^\d+$/.test(last) || i >= parent.length) throw errors.unprocessable();
    return parent.splice(i, 1)[0];
  }
  if (isObj(parent)) {
    if (!(last in parent)) throw errors.unprocessable();
    const v = parent[last];
    delete parent[last];
    return v;
  }
  throw errors.unprocessable();
}

function addAt(doc: Json, toks: string[], value: Json, replace: boolean): Json {
  if (toks.length === 0) return value;
  const parent = container(doc, toks.slice(0, -1));
  const last = toks[toks.length - 1]!;
  if (Array.isArray(parent)) {
    if (last === '-' && !replace) parent.push(value);
    else {
      const i = Number(last);
      if (!/^\d+$/.test(last) || i > parent.length || (replace && i >= parent.length))
        throw errors.unprocessable();
      if (replace) parent[i] = value;
      else parent.splice(i, 0, value);
    }
  } else if (isObj(parent)) {
    if (replace && !(last in parent)) throw errors.unprocessable();
    parent[last] = value;
  } else throw errors.unprocessable();
  return doc;
}

/** Applies an RFC 6902 patch to a deep copy of `doc`. Failures are the real server's generic 422. */
export function jsonPatch(doc: Json, ops: Json): Json {
  if (!Array.isArray(ops)) {
    throw errors.badRequest(
      `error decoding patch: json: cannot unmarshal ${ops === null ? 'null' : typeof ops === 'object' ? 'object' : typeof ops === 'string' ? 'string' : typeof ops === 'number' ? 'number' : 'bool'} into Go value of type []handlers.jsonPatchOp`,
    );
  }
  let cur = structuredClone(doc);
  for (const op of ops) {
    if (!isObj(op)) throw errors.unprocessable();
    const toks = parsePointer(op.path);
    switch (op.op) {
      case 'add':
        if (!('value' in op)) throw errors.unprocessable();
        cur = addAt(cur, toks, structuredClone(op.value), false);
        break;
      case 'replace':
        if (!('value' in op)) throw errors.unprocessable();
        cur = addAt(cur, toks, structuredClone(op.value), true);
        break;
      case 'remove':
        removeAt(cur, toks);
        break;
      case 'move': {
        const v = removeAt(cur, parsePointer(op.from));
        cur = addAt(cur, toks, v, false);
        break;
      }
      case 'copy':
        cur = addAt(cur, toks, structuredClone(getAt(cur, parsePointer(op.from))), false);
        break;
      case 'test': {
        const v = getAt(cur, toks);
        if (JSON.stringify(v) !== JSON.stringify(op.value)) throw errors.unprocessable();
        break;
      }
      default:
        throw new ApiError(
          422,
          'Invalid',
          'the server rejected our request due to an error in our request',
          {},
        );
    }
  }
  return cur;
}
