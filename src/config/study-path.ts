/**
 * What a study argument names: a file, or a study built into kubeperf (`studies/<name>.yaml`, e.g.
 * `kubeperf run milo`), which is also in the container image, so `kubeperf deploy` can run it there
 * without shipping the file.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const builtinStudiesDir = fileURLToPath(new URL('../../studies/', import.meta.url));

export function resolveStudyArg(arg: string): { path: string; builtin?: string } {
  if (existsSync(arg)) return { path: arg };
  if (/^[a-z0-9][a-z0-9-]*$/.test(arg)) {
    const p = `${builtinStudiesDir}${arg}.yaml`;
    if (existsSync(p)) return { path: p, builtin: arg };
  }
  return { path: arg };
}
