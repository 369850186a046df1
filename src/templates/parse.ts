/**
 * A parser for the Go text/template subset that kube-burner object templates use: {{.Field}},
 * variables ($x := …, $), pipelines with |, function calls, parentheses, if/else if/else, range (with
 * $i, $v :=), with, trim markers {{- -}}, comments, and string/number/bool literals.
 * define/template/block are not supported and fail at parse time with file:line:col, so a template is
 * rejected when the study is loaded, not at iteration 5,000.
 */

export class TemplateError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly col: number,
    readonly detail: string,
  ) {
    super(`${source}:${line}:${col}: ${detail}`);
  }
}

export interface Pos {
  line: number;
  col: number;
}

export type Arg =
  | { t: 'field'; base: 'dot' | { var: string }; path: string[]; pos: Pos }
  | { t: 'var'; name: string; pos: Pos }
  | { t: 'lit'; value: unknown; pos: Pos }
  | { t: 'fn'; name: string; pos: Pos }
  | { t: 'pipe'; pipe: Pipeline; path: string[]; pos: Pos };

export interface Command {
  args: Arg[];
  pos: Pos;
}

export interface Pipeline {
  decl?: { names: string[]; assign: boolean };
  cmds: Command[];
  pos: Pos;
}

export type Node =
  | { t: 'text'; text: string }
  | { t: 'action'; pipe: Pipeline }
  | { t: 'if'; branches: { cond: Pipeline; body: Node[] }[]; else?: Node[] }
  | { t: 'range'; pipe: Pipeline; body: Node[]; else?: Node[] }
  | { t: 'with'; pipe: Pipeline; body: Node[]; else?: Node[] }
  | { t: 'break' | 'continue'; pos: Pos };

interface RawAction {
  text: string;
  pos: Pos;
}

type Piece = { kind: 'text'; text: string } | { kind: 'action'; a: RawAction };

function posAt(src: string, index: number): Pos {
  let line = 1;
  let last = -1;
  for (let i = 0; i < index; i++) {
    if (src.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, col: index - last };
}

/** Split into text and {{ }} actions, applying trim markers. */
function lex(src: string, name: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out.push({ kind: 'text', text: src.slice(i) });
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src.startsWith('- ', start) || src.startsWith('-\t', start) || src.startsWith('-\n', start)) {
      text = text.replace(/[ \t\r\n]+$/, '');
      start += 1;
    }
    if (text) out.push({ kind: 'text', text });
    // Find the closing }} outside string literals.
    let j = start;
    let close = -1;
    while (j < src.length) {
      const c = src[j];
      if (c === '"') {
        j++;
        while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      } else if (c === '`') {
        j = src.indexOf('`', j + 1);
        if (j < 0) break;
      } else if (c === '}' && src[j + 1] === '}') {
        close = j;
        break;
      } else if (c === '/' && src[j + 1] === '*') {
        const end = src.indexOf('*/', j + 2);
        if (end < 0) break;
        j = end + 1;
      }
      j++;
    }
    if (close < 0) {
      const p = posAt(src, open);
      throw new TemplateError(name, p.line, p.col, 'unclosed action: missing }}');
    }
    let end = close;
    let trimRight = false;
    if (src[close - 1] === '-' && /[ \t\r\n]/.test(src[close - 2] ?? '')) {
      end = close - 1;
      trimRight = true;
    }
    const body = src.slice(start, end);
    if (!/^\s*\/\*[\s\S]*\*\/\s*$/.test(body))
      out.push({ kind: 'action', a: { text: body, pos: posAt(src, open) } });
    i = close + 2;
    if (trimRight) {
      while (i < src.length && /[ \t\r\n]/.test(src[i]!)) i++;
    }
  }
  return out;
}

// ---- action tokenizer ----

type Tok =
  | { k: 'field'; v: string; o: number }
  | { k: 'var'; v: string; o: number }
  | { k: 'ident'; v: string; o: number }
  | { k: 'str'; v: string; o: number }
  | { k: 'num'; v: number; o: number }
  | { k: 'op'; v: '|' | '(' | ')' | ':=' | '=' | ','; o: number };

function tokenize(text: string, fail: (o: number, msg: string) => never): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const o = i;
    if (c === '|' || c === '(' || c === ')' || c === ',') {
      toks.push({ k: 'op', v: c, o });
      i++;
    } else if (c === ':' && text[i + 1] === '=') {
      toks.push({ k: 'op', v: ':=', o });
      i += 2;
    } else if (c === '=') {
      toks.push({ k: 'op', v: '=', o });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') {
          const e = text[j + 1];
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : (e ?? '');
          j += 2;
        } else s += text[j++];
      }
      if (j >= text.length) fail(o, 'unterminated string');
      toks.push({ k: 'str', v: s, o });
      i = j + 1;
    } else if (c === '`') {
      const j = text.indexOf('`', i + 1);
      if (j < 0) fail(o, 'unterminated raw string');
      toks.push({ k: 'str', v: text.slice(i + 1, j), o });
      i = j + 1;
    } else if (c === "'") {
      const m = /^'(\\.|[^'\\])'/.exec(text.slice(i));
      if (!m) fail(o, 'bad character constant');
      const ch = m[1]!.startsWith('\\') ? (m[1] === '\\n' ? '\n' : m[1]![1]!) : m[1]!;
      toks.push({ k: 'num', v: ch.codePointAt(0)!, o });
      i += m[0].length;
    } else if (/[0-9]/.test(c) || ((c === '-' || c === '+') && /[0-9.]/.test(text[i + 1] ?? ''))) {
      const m = /^[+-]?(0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][+-]?\d+)?|\.\d+)/.exec(text.slice(i))!;
      toks.push({ k: 'num', v: Number(m[0]), o });
      i += m[0].length;
    } else if (c === '.') {
      const m = /^(\.[A-Za-z_][A-Za-z0-9_]*)+|^\./.exec(text.slice(i))!;
      toks.push({ k: 'field', v: m[0], o });
      i += m[0].length;
    } else if (c === '$') {
      const m = /^\$[A-Za-z0-9_]*((\.[A-Za-z_][A-Za-z0-9_]*)*)/.exec(text.slice(i))!;
      toks.push({ k: 'var', v: m[0], o });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      toks.push({ k: 'ident', v: m[0], o });
      i += m[0].length;
    } else {
      fail(o, `unexpected "${c}" in action`);
    }
  }
  return toks;
}

const unsupported = new Set(['define', 'template', 'block']);

export function parseTemplate(src: string, name = 'template'): Node[] {
  const pieces = lex(src, name);
  let idx = 0;

  const actionParser = (a: RawAction) => {
    const offsetPos = (o: number): Pos => {
      // Offset 0 means "the action itself": point at its first token.
      if (o === 0) o = Math.max(0, a.text.search(/\S/));
      const before = a.text.slice(0, o);
      const nl = before.lastIndexOf('\n');
      const extraLines = (before.match(/\n/g) ?? []).length;
      return extraLines
        ? { line: a.pos.line + extraLines, col: o - nl }
        : { line: a.pos.line, col: a.pos.col + 2 + o };
    };
    const fail = (o: number, msg: string): never => {
      const p = offsetPos(o);
      throw new TemplateError(name, p.line, p.col, msg);
    };
    const toks = tokenize(a.text, fail);
    let p = 0;
    const peek = () => toks[p];
    const atEnd = () => p >= toks.length;

    const parseOperand = (): Arg | undefined => {
      const t = peek();
      if (!t) return undefined;
      const pos = offsetPos(t.o);
      if (t.k === 'field') {
        p++;
        return { t: 'field', base: 'dot', path: t.v === '.' ? [] : t.v.slice(1).split('.'), pos };
      }
      if (t.k === 'var') {
        p++;
        const [v, ...rest] = t.v.split('.');
        return rest.length ? { t: 'field', base: { var: v! }, path: rest, pos } : { t: 'var', name: v!, pos };
      }
      if (t.k === 'str' || t.k === 'num') {
        p++;
        return { t: 'lit', value: t.v, pos };
      }
      if (t.k === 'ident') {
        p++;
        if (t.v === 'true' || t.v === 'false') return { t: 'lit', value: t.v === 'true', pos };
        if (t.v === 'nil') return { t: 'lit', value: null, pos };
        return { t: 'fn', name: t.v, pos };
      }
      if (t.k === 'op' && t.v === '(') {
        p++;
        const inner = parsePipeline(false);
        const c = peek();
        if (!c || c.k !== 'op' || c.v !== ')') fail(c?.o ?? a.text.length, 'missing ) in action');
        p++;
        // (pipeline).Field
        const f = peek();
        let path: string[] = [];
        if (f && f.k === 'field' && f.o === (c as Tok).o + 1 && f.v !== '.') {
          path = f.v.slice(1).split('.');
          p++;
        }
        return { t: 'pipe', pipe: inner, path, pos };
      }
      return undefined;
    };

    const parseCommand = (): Command => {
      const start = peek();
      const args: Arg[] = [];
      for (;;) {
        const t = peek();
        if (!t || (t.k === 'op' && (t.v === '|' || t.v === ')'))) break;
        const o = parseOperand();
        if (!o) fail(t.o, `unexpected ${t.k === 'op' ? `"${t.v}"` : t.k} in command`);
        args.push(o!);
      }
      if (!args.length) fail(start?.o ?? a.text.length, 'missing value for command');
      return { args, pos: offsetPos(start!.o) };
    };

    const parsePipeline = (allowDecl: boolean): Pipeline => {
      const pos = offsetPos(peek()?.o ?? 0);
      let decl: Pipeline['decl'];
      if (allowDecl && peek()?.k === 'var') {
        // $x := …, $i, $v := …, $x = …
        const save = p;
        const names: string[] = [];
        while (peek()?.k === 'var') {
          names.push((peek() as { v: string }).v);
          p++;
          if (peek()?.k === 'op' && (peek() as { v: string }).v === ',') p++;
          else break;
        }
        const op = peek();
        if (op?.k === 'op' && (op.v === ':=' || op.v === '=')) {
          p++;
          decl = { names, assign: op.v === '=' };
        } else p = save;
      }
      const cmds: Command[] = [parseCommand()];
      while (peek()?.k === 'op' && (peek() as { v: string }).v === '|') {
        p++;
        cmds.push(parseCommand());
      }
      return { decl, cmds, pos };
    };

    return {
      keyword(): string | undefined {
        const t = peek();
        return t?.k === 'ident' ? t.v : undefined;
      },
      skip() {
        p++;
      },
      pipeline(allowDecl = true): Pipeline {
        const pl = parsePipeline(allowDecl);
        if (!atEnd()) fail(peek()!.o, `unexpected "${a.text.slice(peek()!.o).trim()}" after pipeline`);
        return pl;
      },
      empty: () => atEnd(),
      fail,
    };
  };

  // Parse a list of nodes until one of the stop keywords; returns the keyword that stopped it.
  const parseList = (
    stops: string[],
  ): { nodes: Node[]; stop?: string; ap?: ReturnType<typeof actionParser> } => {
    const nodes: Node[] = [];
    while (idx < pieces.length) {
      const piece = pieces[idx++]!;
      if (piece.kind === 'text') {
        nodes.push({ t: 'text', text: piece.text });
        continue;
      }
      const ap = actionParser(piece.a);
      if (ap.empty()) ap.fail(0, 'missing value for command');
      const kw = ap.keyword();
      if (kw && stops.includes(kw)) {
        ap.skip();
        return { nodes, stop: kw, ap };
      }
      if (kw && unsupported.has(kw))
        ap.fail(0, `"${kw}" is not supported by kubeperf templates (use one file per object template)`);
      if (kw === 'end' || kw === 'else') ap.fail(0, `unexpected {{${kw}}}`);
      if (kw === 'if' || kw === 'range' || kw === 'with') {
        ap.skip();
        const pipe = ap.pipeline(true);
        if (kw === 'if') {
          const branches = [{ cond: pipe, body: [] as Node[] }];
          let elseBody: Node[] | undefined;
          for (;;) {
            const r = parseList(['else', 'end']);
            if (!r.stop)
              throw new TemplateError(
                name,
                piece.a.pos.line,
                piece.a.pos.col,
                'unexpected EOF: {{if}} has no {{end}}',
              );
            if (elseBody) elseBody.push(...r.nodes);
            else branches[branches.length - 1]!.body.push(...r.nodes);
            if (r.stop === 'end') break;
            if (elseBody) r.ap!.fail(0, '{{else}} after {{else}}');
            if (r.ap!.keyword() === 'if') {
              r.ap!.skip();
              branches.push({ cond: r.ap!.pipeline(true), body: [] });
            } else {
              if (!r.ap!.empty()) r.ap!.fail(0, 'unexpected text after else');
              elseBody = [];
            }
          }
          nodes.push({ t: 'if', branches, else: elseBody });
        } else {
          const r = parseList(['else', 'end']);
          if (!r.stop)
            throw new TemplateError(
              name,
              piece.a.pos.line,
              piece.a.pos.col,
              `unexpected EOF: {{${kw}}} has no {{end}}`,
            );
          let elseBody: Node[] | undefined;
          if (r.stop === 'else') {
            const r2 = parseList(['end']);
            if (!r2.stop)
              throw new TemplateError(
                name,
                piece.a.pos.line,
                piece.a.pos.col,
                `unexpected EOF: {{${kw}}} has no {{end}}`,
              );
            elseBody = r2.nodes;
          }
          nodes.push({ t: kw, pipe, body: r.nodes, else: elseBody });
        }
        continue;
      }
      if (kw === 'break' || kw === 'continue') {
        nodes.push({ t: kw, pos: piece.a.pos });
        continue;
      }
      nodes.push({ t: 'action', pipe: ap.pipeline(true) });
    }
    return { nodes };
  };

  const r = parseList([]);
  return r.nodes;
}
