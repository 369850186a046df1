/** Reading results.json files for `kubeperf report`, `analyze`, `visualize` and `compare`, with clear input errors. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { InputError } from '../core/errors.js';
import { formatPath } from '../config/problems.js';
import { ResultsSchema, type Results } from '../results/types.js';

const HINT =
  'pass the results.json that kubeperf run or kubeperf bench wrote (kubeperf-results/<run-id>/results.json)';

export async function loadResults(path: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `${path} does not exist`
        : code === 'EISDIR'
          ? `${path} is a folder, not a results.json`
          : `cannot read ${path}: ${code ?? (e as Error).message}`,
      { hint: HINT },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path} is not JSON: ${(e as Error).message}`, { hint: HINT });
  }
  const doc = json as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !('runId' in doc || 'schemaVersion' in doc)) {
    throw new InputError(`${path} is not a kubeperf results.json: it has no runId or schemaVersion`, {
      hint: HINT,
    });
  }
  if ('schemaVersion' in doc && doc.schemaVersion !== 1) {
    throw new InputError(
      `${path} has schemaVersion ${JSON.stringify(doc.schemaVersion)}; this kubeperf reads schemaVersion 1`,
      { hint: 'render it with the kubeperf version that wrote it (tool.version in the file)' },
    );
  }
  const parsed = ResultsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${path}: ${describeIssue(json, i)}`);
    throw new InputError(`${path} is not a valid kubeperf results.json (schemaVersion 1)`, {
      problems:
        problems.length > 10 ? [...problems.slice(0, 10), `… and ${problems.length - 10} more`] : problems,
      hint: 'results.json files are written by kubeperf run and kubeperf bench; the fields are in docs/results-schema.md',
    });
  }
  return parsed.data;
}

/** A schema problem in words a user can act on ("missing", "expected a number, got a string"). */
function describeIssue(json: unknown, issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  let value: unknown = json;
  for (const seg of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[seg];
  if (issue.code === 'invalid_type') {
    if (value === undefined) return `${where}: missing`;
    return `${where}: expected ${article(issue.expected)}, got ${kindOf(value)}`;
  }
  if (issue.code === 'invalid_value')
    return `${where}: ${JSON.stringify(value)} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_union') return `${where}: ${kindOf(value)} does not fit this field`;
  return `${where}: ${issue.message}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${article(typeof v)} (${JSON.stringify(v)?.slice(0, 40)})`;
}

function article(type: string): string {
  const word = type === 'int' ? 'integer' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/** A results file to compare, and whether it was named or found by listing a folder. */
export interface RunPath {
  path: string;
  fromFolder: boolean;
}

/**
 * Expands arguments into results files: a file is itself; a folder yields every results.json in it
 * and in its direct subfolders (one folder per run, as kubeperf writes them).
 */
export async function expandRunPaths(args: string[]): Promise<RunPath[]> {
  const out: RunPath[] = [];
  for (const a of args) {
    const s = await stat(a).catch(() => undefined);
    if (!s)
      throw new InputError(`${a} does not exist`, { hint: 'pass results.json files or folders of runs' });
    if (!s.isDirectory()) {
      out.push({ path: a, fromFolder: false });
      continue;
    }
    const found: string[] = [];
    for (const entry of await readdir(a, { withFileTypes: true })) {
      const p = join(a, entry.name);
      if (entry.isFile() && entry.name.endsWith('.json') && entry.name.includes('results')) found.push(p);
      else if (entry.isDirectory()) {
        const inner = join(p, 'results.json');
        if (await stat(inner).catch(() => undefined)) found.push(inner);
      }
    }
    if (found.length === 0)
      throw new InputError(`folder ${a} holds no results.json`, { hint: 'pass a folder of kubeperf runs' });
    out.push(...found.sort().map((path) => ({ path, fromFolder: true })));
  }
  return out;
}
