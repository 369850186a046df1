/**
 * What a study argument names: a file, or a study built into kubeperf (`studies/<name>.yaml`, e.g.
 * `kubeperf run milo`), which is also in the container image, so `kubeperf deploy` can run it there
 * without shipping the file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import { closest } from './problems.js';

export const builtinStudiesDir = fileURLToPath(new URL('../../studies/', import.meta.url));

/** The built-in study run when none is named. */
export const defaultStudyPath = `${builtinStudiesDir}default.yaml`;

/**
 * A file wins; a bare name is a built-in study; a bare name that is neither is bad input with the
 * closest built-in name. Anything else is a path the loader reports as missing.
 */
export function resolveStudyArg(arg: string): { path: string; builtin?: string } {
  if (existsSync(arg)) return { path: arg };
  if (!/^[a-z0-9][a-z0-9-]*$/.test(arg)) return { path: arg };
  const p = `${builtinStudiesDir}${arg}.yaml`;
  if (existsSync(p)) return { path: p, builtin: arg };
  const names = readdirSync(builtinStudiesDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length));
  const near = closest(arg, names);
  throw new InputError(
    `no study file "${arg}" and no built-in study of that name${near ? ` (did you mean "${near}"?)` : ''}`,
    { hint: `built-in studies: ${names.join(', ')}; or pass the path of a study YAML file` },
  );
}
