/**
 * Reading RGD files: multi-document YAML with source positions, so errors name FILE:LINE:COL. kro's
 * own error text is kept verbatim after the position.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, isScalar, parseAllDocuments, type Document } from 'yaml';
import { InputError } from '../core/errors.js';
import { RgdError, compileRgd, type CompileOptions } from './build.js';
import type { CompiledRgd } from './types.js';

export interface LoadedDocument {
  file: string;
  /** 0-based document index within the file. */
  index: number;
  value: unknown;
  document: Document;
  lines: LineCounter;
  /** FILE:LINE:COL notes that do not make the document invalid (duplicate keys). */
  warnings: string[];
}

export function readYamlDocuments(file: string, text?: string): LoadedDocument[] {
  let source: string;
  try {
    source = text ?? readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        hint: 'check the path',
      },
    );
  }
  const lines = new LineCounter();
  // kubectl (sigs.k8s.io/yaml) keeps the last of duplicate keys instead of failing, so kro's own
  // examples with a repeated key apply fine; accept them the same way and warn.
  const duplicates: { pos: number; key: string }[] = [];
  const docs = parseAllDocuments(source, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: (a, b) => {
      if (isScalar(a) && isScalar(b) && a.value === b.value)
        duplicates.push({ pos: b.range?.[0] ?? 0, key: String(b.value) });
      return false;
    },
  });
  if (!Array.isArray(docs)) return [];
  const out: LoadedDocument[] = [];
  docs.forEach((document, index) => {
    const [start, end] = document.range;
    const warnings = duplicates
      .filter((d) => d.pos >= start && d.pos <= end)
      .map((d) => {
        const pos = lines.linePos(d.pos);
        return `${file}:${pos.line}:${pos.col}: duplicate key "${d.key}": the last value wins, as kubectl's YAML-to-JSON conversion does`;
      });
    if (document.errors.length > 0) {
      const problems = document.errors.map((err) => {
        const pos = lines.linePos(err.pos[0]);
        return `${file}:${pos.line}:${pos.col}: ${err.message.split('\n')[0]}`;
      });
      throw new InputError(`${file} is not valid YAML`, {
        problems,
        hint: 'fix the YAML syntax at the position shown',
      });
    }
    const value = document.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value !== null && value !== undefined) out.push({ file, index, value, document, lines, warnings });
  });
  return out;
}

/** Position of `spec.resources[i]` (or the document) for an error message. */
export function positionOf(doc: LoadedDocument, path: (string | number)[]): string {
  const node = doc.document.getIn(path, true) as { range?: [number, number, number] } | undefined;
  const offset = node?.range?.[0] ?? doc.document.contents?.range?.[0] ?? 0;
  const pos = doc.lines.linePos(offset);
  return `${doc.file}:${pos.line}:${pos.col}`;
}

/** Where an RgdError most likely points: the resource named in it, else the document. */
export function locateRgdError(doc: LoadedDocument, message: string): string {
  const m =
    /resource "([^"]+)"/.exec(message) ??
    /duplicate resource IDs (\S+)/.exec(message) ??
    /violation: id (\S+) /.exec(message);
  const resources = (doc.value as { spec?: { resources?: { id?: string }[] } })?.spec?.resources;
  if (m && Array.isArray(resources)) {
    const i = resources.findIndex((r) => r?.id === m[1]);
    if (i >= 0) return positionOf(doc, ['spec', 'resources', i, 'id']);
  }
  if (message.startsWith('status')) return positionOf(doc, ['spec', 'schema', 'status']);
  return positionOf(doc, ['spec']);
}

/** Compile every RGD in a file; the first invalid one throws InputError (exit 2) with kro's message. */
export function compileRgdFile(file: string, options: CompileOptions = {}): CompiledRgd[] {
  return readYamlDocuments(file).map((doc) => {
    try {
      return compileRgd(doc.value, options);
    } catch (e) {
      if (e instanceof RgdError) {
        throw new InputError(`${file}: invalid ResourceGraphDefinition`, {
          problems: [`${locateRgdError(doc, e.message)}: ${e.message}`],
          hint: 'fix the RGD; the message is what kro would report in the GraphAccepted condition',
        });
      }
      throw e;
    }
  });
}
