/**
 * A parsed YAML file that remembers where every node came from, so config errors can be reported as
 * FILE:LINE:COL. Uses `yaml`'s document API (positions) rather than a plain parse.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export interface SourcePos {
  line: number;
  col: number;
}

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** Syntax errors, already formatted as `FILE:LINE:COL: message`. */
  errors: string[];
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const errors = doc.errors.map((e) => {
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    return `${file}:${pos.line}:${pos.col}: ${firstLine(e.message)}`;
  });
  return { file, doc, lineCounter, errors };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Position of the value at `path` (or of `key` inside the mapping at `path`). When the path does not
 * exist (a missing required field), the deepest existing ancestor is returned.
 */
export function locate(src: YamlSource, path: readonly PropertyKey[], key?: string): SourcePos {
  let node: unknown = src.doc.contents;
  let best: Node | null = (node as Node) ?? null;
  const segments = key === undefined ? path : [...path, key];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) break;
      // For an unknown key point at the key itself; otherwise at the value.
      const target = (last && key !== undefined) || pair.value == null ? pair.key : pair.value;
      node = pair.value;
      best = target as Node;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item == null) break;
      node = item;
      best = item as Node;
    } else break;
  }
  const offset = best?.range?.[0] ?? 0;
  return src.lineCounter.linePos(offset);
}
