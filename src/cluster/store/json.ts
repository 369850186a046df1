/**
 * The JSON text of an object as Go's encoding/json writes it, which kube-apiserver's responses are:
 * `<`, `>`, `&`, U+2028 and U+2029 escaped inside strings, and map keys in Go's sorted order even
 * where a JS object cannot keep it (integer-like keys such as "10" and "9", which JS always iterates
 * first and in numeric order). Such maps are recorded by keyOrder() and only objects holding one
 * take the slower hand-written serializer.
 */
const recordedOrder = new WeakMap<object, string[]>();
const holders = new WeakSet<object>();

/** Records that `map` (inside `root`) must be written with its keys in `keys` order. */
export function keyOrder(root: object, map: object, keys: string[]): void {
  recordedOrder.set(map, keys);
  holders.add(root);
}

const htmlAll = /[<>&\u2028\u2029]/g;
const escapeHtml = (c: string): string => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');

export function toJson(obj: unknown): string {
  const s = typeof obj === 'object' && obj !== null && holders.has(obj) ? ordered(obj) : JSON.stringify(obj);
  // indexOf scans are several times faster than a character-class regex on the common clean text.
  const dirty =
    s.indexOf('<') >= 0 ||
    s.indexOf('>') >= 0 ||
    s.indexOf('&') >= 0 ||
    s.indexOf('\u2028') >= 0 ||
    s.indexOf('\u2029') >= 0;
  return dirty ? s.replace(htmlAll, escapeHtml) : s;
}

function ordered(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : ordered(x))).join(',')}]`;
  const o = v as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of recordedOrder.get(o) ?? Object.keys(o)) {
    if (o[k] !== undefined) parts.push(`${JSON.stringify(k)}:${ordered(o[k])}`);
  }
  return `{${parts.join(',')}}`;
}
