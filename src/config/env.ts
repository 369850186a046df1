/**
 * `${VAR}` and `${VAR:-default}` expansion in study files. Only upper-case environment-style names are
 * expanded, so kro/CEL expressions such as `${schema.spec.name}` in inline RGDs pass through untouched;
 * `$${VAR}` is a literal `${VAR}`. The names a study references are its variables: `--set NAME=value`
 * with an environment-style NAME sets one (before the environment), see load.ts.
 */
const ref = /\$(\$?)\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g;

export interface ExpandResult {
  value: string;
  missing: string[];
}

export function expandEnv(text: string, env: NodeJS.ProcessEnv = process.env): ExpandResult {
  const missing: string[] = [];
  const value = text.replace(ref, (whole, escape: string, name: string, fallback: string | undefined) => {
    if (escape) return whole.slice(1);
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    missing.push(name);
    return whole;
  });
  return { value, missing };
}

export function hasEnvRef(text: string): boolean {
  ref.lastIndex = 0;
  return ref.test(text);
}

/** Environment-style names a text references (escaped `$${VAR}` excluded). */
export function envRefs(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(ref)) if (!m[1]) names.push(m[2]!);
  return names;
}

/** `--set NAME=value` with an environment-style NAME (no dots, upper case) sets a study variable. */
export function isVariableName(path: string): boolean {
  return /^[A-Z_][A-Z0-9_]*$/.test(path);
}
