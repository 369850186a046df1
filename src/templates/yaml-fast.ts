/**
 * A fast path for the YAML that object templates render to: block mappings and sequences of plain,
 * single- and double-quoted one-line scalars, comments and `---` document markers. Plain scalars are
 * resolved by js-yaml's own core-schema types, so values are exactly js-yaml's. Anything else (flow
 * collections, anchors, tags, block scalars, multi-line scalars, tabs, YAML-only escapes, duplicate
 * keys…) returns undefined and the caller parses with js-yaml, which also reports errors. Measured on
 * kube-burner's api-intensive ConfigMap (rendered, 12 lines): js-yaml 6.6–7.5 µs per object, this
 * 2.9–3.9 µs (same process, load average 10); a templated job renders and parses once per object
 * created, on the load generator's hot path.
 */
import { CORE_SCHEMA, type Type } from 'js-yaml';

const implicit = (CORE_SCHEMA as unknown as { compiledImplicit: Type[] }).compiledImplicit;

/**
 * A plain scalar as js-yaml resolves it in the core schema (null, bool, int, float, else string).
 * Those types only match text starting with one of `-+.0-9~nNtTfF` (or empty); anything else is a
 * string without asking them.
 */
function resolvePlain(s: string): unknown {
  if (s !== '' && !MAYBE_TYPED.test(s)) return s;
  for (const t of implicit) if (t.resolve(s)) return t.construct(s);
  return s;
}
const MAYBE_TYPED = /^[-+.0-9~nNtTfF]/;

class Unsupported extends Error {}
const bail = (): never => {
  throw new Unsupported();
};

interface Line {
  indent: number;
  /** Text after the indentation, without a trailing comment-only remainder. */
  text: string;
}

/** Plain keys kubeperf sees in Kubernetes objects: names, label keys, annotations. */
const PLAIN_KEY = /^[A-Za-z0-9_./~+$][A-Za-z0-9_./~+$-]*$/;
const INDICATOR = /^[[\]{}&*!|>%@`?,]/;

function scalar(s: string): unknown {
  if (s.startsWith('"')) {
    let i = 1;
    let escaped = false;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x5c) {
        // JSON's escapes only; YAML's own (\x, \e, \N, \0, …) go to js-yaml.
        if (!/["\\/bfnrtu]/.test(s[i + 1] ?? '')) bail();
        escaped = true;
        i++;
      } else if (c === 0x22) break;
      else if (c < 0x20) bail();
    }
    if (i >= s.length) bail();
    if (i + 1 < s.length) rest(s.slice(i + 1));
    return escaped ? JSON.parse(s.slice(0, i + 1)) : s.slice(1, i);
  }
  if (s.startsWith("'")) {
    let out = '';
    let i = 1;
    for (;;) {
      const j = s.indexOf("'", i);
      if (j < 0) bail();
      out += s.slice(i, j);
      if (s[j + 1] === "'") {
        out += "'";
        i = j + 2;
        continue;
      }
      rest(s.slice(j + 1));
      return out;
    }
  }
  if (INDICATOR.test(s) || s.startsWith('- ') || s === '-') bail();
  // A plain scalar ends at a comment (" #"); it may not hold ": " nor end with ":".
  const hash = s.indexOf(' #');
  const v = (hash >= 0 ? s.slice(0, hash) : s).trimEnd();
  if (v.includes(': ') || v.endsWith(':') || v.includes('\t')) bail();
  return resolvePlain(v);
}

/** What follows a quoted scalar on its line: nothing, or spaces and a comment. */
function rest(r: string): void {
  if (r !== '' && !/^ +(#.*)?$/.test(r)) bail();
}

class Parser {
  i = 0;
  constructor(private readonly lines: Line[]) {}

  peek(): Line | undefined {
    return this.lines[this.i];
  }

  block(indent: number): unknown {
    const l = this.peek();
    if (!l || l.indent < indent) return null;
    return isItem(l.text) ? this.sequence(l.indent) : this.mapping(l.indent);
  }

  mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let l = this.peek(); l && l.indent === indent && !isItem(l.text); l = this.peek()) {
      const colon = keyEnd(l.text);
      const key = l.text.slice(0, colon);
      if (!PLAIN_KEY.test(key)) bail();
      const name = String(resolvePlain(key));
      if (Object.prototype.hasOwnProperty.call(out, name)) bail();
      const value = l.text.slice(colon + 1).trimStart();
      this.i++;
      if (value === '' || value.startsWith('#')) {
        const next = this.peek();
        if (next && next.indent > indent) out[name] = this.block(next.indent);
        else if (next && next.indent === indent && isItem(next.text)) out[name] = this.sequence(indent);
        else out[name] = null;
      } else {
        out[name] = scalar(value);
        const next = this.peek();
        if (next && next.indent > indent) bail(); // a multi-line plain scalar
      }
    }
    const l = this.peek();
    if (l && l.indent > indent) bail();
    return out;
  }

  sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let l = this.peek(); l && l.indent === indent && isItem(l.text); l = this.peek()) {
      const after = l.text.slice(1);
      const content = after.trimStart();
      if (content === '' || content.startsWith('#')) {
        this.i++;
        const next = this.peek();
        out.push(next && next.indent > indent ? this.block(next.indent) : null);
        continue;
      }
      // "- key: value" or "- - x": the item is a block starting at the content's column; the line
      // is rewritten as that block's first line.
      const col = indent + 1 + (after.length - content.length);
      if (isItem(content) || keyEndOrNone(content) >= 0) {
        this.lines[this.i] = { indent: col, text: content };
        out.push(this.block(col));
      } else {
        this.i++;
        out.push(scalar(content));
        const next = this.peek();
        if (next && next.indent > indent) bail();
      }
    }
    const l = this.peek();
    if (l && l.indent > indent) bail();
    return out;
  }
}

const isItem = (t: string) => t === '-' || t.startsWith('- ');

/** Index of the ":" that ends a mapping key on this line, or -1. */
function keyEndOrNone(t: string): number {
  if (t.startsWith('"') || t.startsWith("'")) return -1;
  for (let i = t.indexOf(':'); i >= 0; i = t.indexOf(':', i + 1)) {
    if (i + 1 === t.length || t[i + 1] === ' ') return i;
  }
  return -1;
}

function keyEnd(t: string): number {
  const i = keyEndOrNone(t);
  if (i < 0) bail();
  return i;
}

/** The documents of `text`, or undefined when it is outside the fast path's subset. */
export function parseSimpleYaml(text: string): unknown[] | undefined {
  if (text.includes('\t') || text.includes('\r')) return undefined;
  try {
    const docs: Line[][] = [];
    let cur: Line[] = [];
    let explicit = false;
    for (const raw of text.split('\n')) {
      if (raw.startsWith('---')) {
        if (raw.length > 3 && !/^---\s*(#.*)?$/.test(raw)) return undefined;
        if (cur.length || explicit) docs.push(cur);
        cur = [];
        explicit = true;
        continue;
      }
      if (raw.startsWith('...') || raw.startsWith('%')) return undefined;
      const trimmed = raw.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      cur.push({ indent: raw.length - trimmed.length, text: trimmed.trimEnd() });
    }
    if (cur.length || explicit) docs.push(cur);
    return docs.map((lines) => {
      if (!lines.length) return null;
      const p = new Parser(lines);
      const v = p.block(lines[0]!.indent);
      if (p.i !== lines.length) bail();
      return v;
    });
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
