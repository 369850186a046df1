/** Reading results.json files for `kubeperf report` and `kubeperf compare`, with clear input errors. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { ResultsSchema, type Results } from '../results/types.js';

export async function loadResults(path: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        hint: 'pass the results.json that kubeperf run / bench wrote (in kubeperf-results/<run-id>/)',
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path} is not JSON: ${(e as Error).message}`);
  }
  const parsed = ResultsSchema.safeParse(json);
  if (!parsed.success) {
    throw new InputError(`${path} is not a kubeperf results.json (schemaVersion 1)`, {
      problems: parsed.error.issues
        .slice(0, 10)
        .map((i) => `${path}: ${i.path.join('.') || '(root)'}: ${i.message}`),
      hint: 'results.json files are written by kubeperf run and kubeperf bench; see docs/results-schema.md',
    });
  }
  return parsed.data;
}

/**
 * Expands arguments into results files: a file is itself; a folder yields every results.json in it
 * and in its direct subfolders (one folder per run, as kubeperf writes them).
 */
export async function expandRunPaths(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const a of args) {
    const s = await stat(a).catch(() => undefined);
    if (!s)
      throw new InputError(`${a} does not exist`, { hint: 'pass results.json files or folders of runs' });
    if (!s.isDirectory()) {
      out.push(a);
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
    out.push(...found.sort());
  }
  return out;
}
