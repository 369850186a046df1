/**
 * Object templates as kube-burner users write them: a file (or inline YAML) with one or more YAML
 * documents and Go-template actions. Compiled once at load time (syntax and unknown functions are
 * InputErrors with file:line:col); rendered per iteration/replica with kube-burner's variables.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { KubeObject } from '../kube/client.js';
import { builtinFuncs } from './funcs.js';
import { parseTemplate, TemplateError, type Node } from './parse.js';
import { Renderer } from './render.js';
import { parseYamlDocuments, YamlSyntaxError } from './yaml-docs.js';

/** Variables kube-burner injects, plus the job's inputVars. */
export interface TemplateVars {
  Iteration: number;
  Replica: number;
  JobName: string;
  UUID: string;
  RunID: string;
  [inputVar: string]: unknown;
}

export class CompiledTemplate {
  private readonly renderer: Renderer;

  constructor(
    readonly source: string,
    private readonly nodes: Node[],
  ) {
    this.renderer = new Renderer(source, builtinFuncs);
    const unknown = this.renderer.unknownFunctions(nodes);
    if (unknown.length) {
      throw new InputError(`${source}: template calls functions kubeperf does not define`, {
        problems: unknown.map(
          (u) => `${source}:${u.pos.line}:${u.pos.col}: function "${u.name}" not defined`,
        ),
        hint: 'supported: Go template builtins, common sprig helpers (add, mul, mod, default, quote, toYaml, randAlphaNum, list, until…) and kube-burner extras; see docs/load-engine.md',
      });
    }
  }

  /** Rendered text; template errors become InputErrors. */
  renderText(vars: TemplateVars): string {
    try {
      return this.renderer.render(this.nodes, vars);
    } catch (e) {
      if (e instanceof TemplateError)
        throw new InputError(`cannot render ${e.message}`, {
          hint: 'check the variable names (kube-burner names: .Iteration .Replica .JobName .UUID .RunID and inputVars)',
        });
      throw e;
    }
  }

  /** Rendered and parsed into Kubernetes objects (empty documents skipped). */
  renderObjects(vars: TemplateVars): KubeObject[] {
    const text = this.renderText(vars);
    let docs: unknown[];
    try {
      docs = parseYamlDocuments(text);
    } catch (e) {
      if (!(e instanceof YamlSyntaxError)) throw e;
      throw new InputError(
        `${this.source}: rendered template is not valid YAML${e.line ? ` (rendered line ${e.line})` : ''}: ${e.message}`,
        {
          hint: 'render it with `kubeperf run --dry-run` and check indentation around the template actions',
        },
      );
    }
    const out: KubeObject[] = [];
    for (const v of docs) {
      if (v === null || v === undefined) continue;
      if (typeof v !== 'object' || Array.isArray(v)) {
        throw new InputError(
          `${this.source}: a rendered document is not a Kubernetes object (got ${Array.isArray(v) ? 'a list' : typeof v})`,
        );
      }
      const o = v as KubeObject;
      if (!o.apiVersion || !o.kind)
        throw new InputError(`${this.source}: a rendered object has no apiVersion or kind`);
      o.metadata ??= {};
      out.push(o);
    }
    return out;
  }
}

export function compileTemplate(text: string, source: string): CompiledTemplate {
  try {
    return new CompiledTemplate(source, parseTemplate(text, source));
  } catch (e) {
    if (e instanceof TemplateError) {
      throw new InputError(`template syntax error in ${source}`, {
        problems: [e.message],
        hint: 'kubeperf supports Go template actions, if/else, range, with, variables and pipelines; not define/template/block',
      });
    }
    throw e;
  }
}

/** Inline YAML if it looks like YAML with a newline, else a path relative to baseDir. */
export function isInlineTemplate(spec: string): boolean {
  return (
    spec.includes('\n') || /^\s*(apiVersion|kind|metadata)\s*:/.test(spec) || spec.trimStart().startsWith('{')
  );
}

export function loadObjectTemplate(spec: string, baseDir: string, where: string): CompiledTemplate {
  if (isInlineTemplate(spec)) return compileTemplate(spec, `${where}.objectTemplate`);
  const path = isAbsolute(spec) ? spec : resolve(baseDir, spec);
  if (!existsSync(path)) {
    throw new InputError(`${where}.objectTemplate: file ${path} does not exist`, {
      hint: 'paths are relative to the study file; inline YAML needs at least one line break',
    });
  }
  return compileTemplate(readFileSync(path, 'utf8'), path);
}
