/**
 * The files an in-cluster run needs: the study and every file it references (object templates, RGDs,
 * metric profiles…), found as the study's string values that name an existing file relative to it.
 * They go into one ConfigMap and are projected back under their relative paths (volume `items`), so
 * the study's paths work unchanged in the pod.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../core/errors.js';
import { CONFIGMAP_LIMIT } from './results/layout.js';

export interface StudyBundle {
  /** Relative path of the study under the mount. */
  studyPath: string;
  /** `path` is relative to the mount; `source` the file it came from. */
  files: { key: string; path: string; source: string; content: Buffer }[];
}

function referencedFiles(value: unknown, baseDir: string, out: Set<string>): void {
  if (typeof value === 'string') {
    if (value.includes('\n') || value.length > 1024 || !value.trim()) return;
    const p = isAbsolute(value) ? value : resolve(baseDir, value);
    try {
      if (statSync(p).isFile()) out.add(p);
    } catch {
      // not a file
    }
    return;
  }
  if (Array.isArray(value)) for (const v of value) referencedFiles(v, baseDir, out);
  else if (value && typeof value === 'object')
    for (const v of Object.values(value)) referencedFiles(v, baseDir, out);
}

function commonDir(paths: string[]): string {
  let root = dirname(paths[0]!);
  for (const p of paths.slice(1))
    while (!(p === root || p.startsWith(root.endsWith(sep) ? root : root + sep))) root = dirname(root);
  return root;
}

export function bundleStudy(studyFile: string, config: unknown, extra: string[] = []): StudyBundle {
  const study = resolve(studyFile);
  const found = new Set<string>([study, ...extra.map((e) => resolve(e))]);
  // Never the study's kubeconfig: credentials do not go into a ConfigMap (the pod uses its service account).
  const { target: _target, ...rest } = (config ?? {}) as Record<string, unknown>;
  referencedFiles(rest, dirname(study), found);
  const all = [...found];
  const root = commonDir(all);
  const files = all.map((p, i) => {
    const path = relative(root, p).split(sep).join('/');
    const base = path
      .split('/')
      .pop()!
      .replace(/[^-._a-zA-Z0-9]/g, '_');
    return {
      key: `${String(i).padStart(2, '0')}-${base}`.slice(0, 253),
      path,
      source: p,
      content: readFileSync(p),
    };
  });
  const size = files.reduce((a, f) => a + f.key.length + f.content.length, 0);
  if (size > CONFIGMAP_LIMIT - 4096)
    throw new InputError(
      `${studyFile}: the study and the ${files.length - 1} file(s) it references take ${size} bytes, more than a ConfigMap holds (1 MiB)`,
      {
        hint: 'build an image with the study in it and deploy it as a built-in study, or trim the templates',
      },
    );
  return { studyPath: relative(root, study).split(sep).join('/'), files };
}
