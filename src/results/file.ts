/**
 * Reading and writing results.json. Writes are atomic (temp file + rename) so a crash or a second
 * Ctrl-C never leaves a half-written file; reads validate the schema and say what is wrong.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { ResultsSchema, type Results } from './types.js';

export function writeResultsFile(path: string, results: Results): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(results, null, 2) + '\n');
  renameSync(tmp, path);
}

export function readResultsFile(path: string): Results {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `results file not found: ${path}`
        : `${path}: not a JSON results file (${(e as Error).message})`,
      { hint: 'pass the results.json written by `kubeperf run` or `kubeperf bench`' },
    );
  }
  const r = ResultsSchema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues
      .slice(0, 20)
      .map((i) => `${path}: ${i.path.join('.') || '(top level)'}: ${i.message}`);
    const version = (raw as { schemaVersion?: unknown })?.schemaVersion;
    throw new InputError(`${path}: not a valid kubeperf results file`, {
      problems,
      hint:
        version !== undefined && version !== 1
          ? `schemaVersion ${String(version)} is not supported; this kubeperf reads schemaVersion 1`
          : undefined,
    });
  }
  return r.data;
}
