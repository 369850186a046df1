/**
 * A kube-burner config is itself a Go template: rendered before it is parsed, with the environment
 * and the `--user-data` file's values as data (a key missing from both is an error, as in
 * kube-burner), sprig functions, and `env`.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../core/errors.js';
import { builtinFuncs } from '../templates/funcs.js';
import { parseTemplate, TemplateError } from '../templates/parse.js';
import { Renderer } from '../templates/render.js';

/** Top-level keys of a kube-burner config; a study has `phases:` instead. */
const KB_KEYS = /^(jobs|global|metricsEndpoints|indexers)\s*:/m;

export function isKubeBurnerConfig(text: string): boolean {
  return KB_KEYS.test(text) && !/^phases\s*:/m.test(text);
}

export function readUserData(file: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `--user-data ${file}: file not found`
        : `--user-data ${file}: not YAML: ${(e as Error).message}`,
    );
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new InputError(
      `--user-data ${file}: must be a YAML mapping of variables (it is empty or not a mapping)`,
    );
  return v as Record<string, unknown>;
}

export function renderConfigTemplate(
  text: string,
  file: string,
  data: { env: NodeJS.ProcessEnv; userData?: Record<string, unknown> },
): string {
  // Environment variables take precedence over user data (kube-burner's documented order).
  const vars: Record<string, unknown> = { ...(data.userData ?? {}) };
  for (const [k, v] of Object.entries(data.env)) if (v !== undefined) vars[k] = v;
  try {
    const nodes = parseTemplate(text, file);
    const funcs = { ...builtinFuncs, env: (name: unknown) => data.env[String(name)] ?? '' };
    const r = new Renderer(file, funcs);
    const unknown = r.unknownFunctions(nodes);
    if (unknown.length)
      throw new InputError(`${file}: the config template calls functions kubeperf does not define`, {
        problems: unknown.map((u) => `${file}:${u.pos.line}:${u.pos.col}: function "${u.name}" not defined`),
      });
    return r.render(nodes, vars);
  } catch (e) {
    if (e instanceof TemplateError)
      throw new InputError(`${file}: cannot render the kube-burner config template`, {
        problems: [e.message],
        hint: 'variables come from the environment and --user-data FILE (as in kube-burner); a missing one is an error',
      });
    throw e;
  }
}
