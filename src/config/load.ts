/**
 * Loads a study: YAML with positions → --set overrides → ${ENV} expansion → schema validation of the
 * top level and of each phase's own options → a LoadedStudy. Every problem is collected and reported
 * at once (InputError, exit 2) as `FILE:LINE:COL: path.to.field: message`. Pure: no requests.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYamlValue, visit, type Scalar } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../core/errors.js';
import { builtinMeasurements } from '../measurements/builtin.js';
import type { MeasurementRegistry } from '../measurements/registry.js';
import type { MeasurementEntry } from '../measurements/session.js';
import type { PhaseRegistry } from '../phases/registry.js';
import type { PhaseType } from '../phases/types.js';
import { envRefs, expandEnv, isVariableName } from './env.js';
import { overrideProblem, parseOverride, type Override } from './overrides.js';
import { closest, issuesToProblems, type Locator } from './problems.js';
import { redact } from './redact.js';
import { MeasurementCommonKeys, PhaseCommonKeys, StudySchema, type Study } from './schema.js';
import { locate, parseYamlSource } from './yaml-source.js';
import { validateExtensions } from './extensions.js';

export interface ResolvedPhase {
  name: string;
  type: string;
  tags: string[];
  repeat: number;
  /** The phase type's validated options. */
  options: unknown;
  phaseType: PhaseType;
}

export interface LoadedStudy {
  /** Where the study came from: a file path, or a label such as "kubeperf bench crud". */
  source: string;
  /** Relative paths in the study (templates, RGDs, kubeconfig) resolve against this. */
  baseDir: string;
  study: Study;
  phases: ResolvedPhase[];
  /** Measurements to take around phases, with the default-on ones added (src/measurements). */
  measurements: MeasurementEntry[];
  /** The config as given (overrides applied, env references unexpanded, secrets redacted). */
  configForResults: unknown;
}

export interface LoadOptions {
  registry: PhaseRegistry;
  /** Default: the built-in measurements. */
  measurementRegistry?: MeasurementRegistry;
  set?: string[];
  env?: NodeJS.ProcessEnv;
  /**
   * `--env NAME=value` of `kubeperf deploy` (already in `env`): each NAME must be a variable of the
   * study, checked like `--set NAME=value`.
   */
  envFlags?: string[];
}

/** The study file's text; a missing or unreadable file is bad input naming it. */
export function readStudyFile(
  file: string,
  hint = 'pass the path of a study YAML file, or no file to run the default study',
): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `study file not found: ${file}`
        : `cannot read study file ${file}: ${(e as Error).message}`,
      { hint },
    );
  }
}

export function loadStudyFile(file: string, options: LoadOptions): LoadedStudy {
  return loadStudyText(readStudyFile(file), file, dirname(resolve(file)), options);
}

export function loadStudyText(
  text: string,
  file: string,
  baseDir: string,
  options: LoadOptions,
): LoadedStudy {
  const src = parseYamlSource(text, file);
  if (src.errors.length) throw invalid(file, src.errors);
  if (src.doc.contents === null)
    throw invalid(file, [`${file}:1:1: the file is empty; a study needs at least "phases:"`]);

  // `--set NAME=value` with an environment-style NAME sets a variable the study references as ${NAME}.
  const variables: Record<string, string> = {};
  const variableSets: string[] = [];
  const paths: string[] = [];
  for (const raw of options.set ?? []) {
    const eq = raw.indexOf('=');
    const name = eq > 0 ? raw.slice(0, eq).trim() : '';
    if (isVariableName(name)) {
      variables[name] = raw.slice(eq + 1);
      variableSets.push(raw);
    } else paths.push(raw);
  }
  const overrides = parseOverrides(paths, () => src.doc.toJS());
  for (const o of overrides) src.doc.setIn(o.path, src.doc.createNode(o.value));
  const configForResults = redact(src.doc.toJS());

  const problems: string[] = [];
  const env = variableSets.length ? { ...(options.env ?? process.env), ...variables } : options.env;
  const locator: Locator = (path, key) => {
    const o = overrideCovering(overrides, path, key);
    if (o) return `--set ${o.raw}`;
    const p = locate(src, path, key);
    return `${file}:${p.line}:${p.col}`;
  };

  // One pass over the scalars: the variables the study references (before expansion), then expansion.
  const referenced = new Set<string>();
  visit(src.doc, {
    Scalar(_key, node: Scalar) {
      if (typeof node.value !== 'string') return;
      for (const n of envRefs(node.value)) referenced.add(n);
      const { value, missing } = expandEnv(node.value, env);
      for (const name of missing) {
        const pos = src.lineCounter.linePos(node.range?.[0] ?? 0);
        problems.push(
          `${file}:${pos.line}:${pos.col}: environment variable ${name} is not set (use \${${name}:-default} for a default)`,
        );
      }
      if (value === node.value) return;
      // `replicas: ${N}` written unquoted means the number, as if the value had been typed in place.
      node.value =
        node.type === 'PLAIN' && /^\$\{[^}]+\}$/.test(node.value.trim()) ? parseScalar(value) : value;
    },
  });
  const known = [...referenced].sort();
  problems.push(...variableProblems('--set', variableSets, file, known));
  problems.push(...variableProblems('--env', options.envFlags ?? [], file, known));

  return validate(src.doc.toJS(), { source: file, baseDir, locator, problems, configForResults, options });
}

/** `NAME=value` assignments (of `flag`) to names the study does not reference, with the closest name. */
function variableProblems(
  flag: string,
  assignments: string[],
  file: string,
  known: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const raw of assignments) {
    const name = raw.slice(0, raw.indexOf('=')).trim();
    if (known.includes(name)) continue;
    const hint = closest(name, known);
    problems.push(
      `${flag} ${raw}: ${file} has no variable ${name}` +
        (hint ? ` (did you mean ${hint}?)` : '') +
        (known.length ? `; its variables: ${known.join(', ')}` : '; it references no ${VAR}'),
    );
  }
  return problems;
}

/** A study given as an object (built by `kubeperf bench …`): same validation, paths without lines. */
export function loadStudyObject(
  config: unknown,
  source: string,
  baseDir: string,
  options: LoadOptions,
): LoadedStudy {
  const value = structuredClone(config) as Record<string, unknown>;
  const overrides = parseOverrides(options.set, () => value);
  for (const o of overrides) setIn(value, o.path, o.value);
  const locator: Locator = () => source;
  return validate(value, {
    source,
    baseDir,
    locator,
    problems: [],
    configForResults: redact(value),
    options,
  });
}

function validate(
  value: unknown,
  ctx: {
    source: string;
    baseDir: string;
    locator: Locator;
    problems: string[];
    configForResults: unknown;
    options: LoadOptions;
  },
): LoadedStudy {
  const { locator, problems, options } = ctx;
  const parsed = StudySchema.safeParse(value);
  if (!parsed.success) problems.push(...issuesToProblems(parsed.error.issues, StudySchema, locator));

  // Phase options are validated even when the top level has problems, so one run shows everything.
  const rawPhases = Array.isArray((value as { phases?: unknown })?.phases)
    ? ((value as { phases: unknown[] }).phases as unknown[])
    : [];
  const phases: ResolvedPhase[] = [];
  const names = new Map<string, number>();
  rawPhases.forEach((entry, i) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return;
    const e = entry as Record<string, unknown>;
    if (typeof e.type !== 'string') return;
    const phaseType = options.registry.get(e.type);
    if (!phaseType) {
      const hint = options.registry.suggest(e.type);
      problems.push(
        `${locator(['phases', i, 'type'])}: phases[${i}].type: unknown phase type "${e.type}"` +
          (hint ? ` (did you mean "${hint}"?)` : '') +
          `; known types: ${options.registry.names().join(', ')}`,
      );
      return;
    }
    const r = ownOptions(e, phaseType.options, PhaseCommonKeys, ['phases', i], locator, problems);
    if (!r) return;
    const base = typeof e.name === 'string' ? e.name : phaseType.type;
    const seen = names.get(base) ?? 0;
    if (typeof e.name === 'string' && seen > 0) {
      problems.push(`${locator(['phases', i, 'name'])}: phases[${i}].name: duplicate phase name "${e.name}"`);
    }
    names.set(base, seen + 1);
    phases.push({
      name: seen === 0 ? base : `${base}-${seen + 1}`,
      type: phaseType.type,
      tags: Array.isArray(e.tags) ? (e.tags as string[]) : [],
      repeat: typeof e.repeat === 'number' ? e.repeat : 1,
      options: r.data,
      phaseType,
    });
  });

  const measurements = resolveMeasurements(value, phases, locator, problems, options);
  problems.push(...validateExtensions(value, locator));

  if (problems.length || !parsed.success) throw invalid(ctx.source, withoutCascades(problems));
  return {
    source: ctx.source,
    baseDir: ctx.baseDir,
    study: parsed.data,
    phases,
    measurements,
    configForResults: ctx.configForResults,
  };
}

/**
 * A phase's or measurement's own options (the entry without its common keys) parsed by its type's
 * schema; undefined, with the problems at the entry's field paths, when they do not fit.
 */
function ownOptions(
  entry: Record<string, unknown>,
  schema: z.ZodType,
  commonKeys: readonly string[],
  path: (string | number)[],
  locator: Locator,
  problems: string[],
): { data: unknown } | undefined {
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) if (!commonKeys.includes(k)) own[k] = v;
  const r = schema.safeParse(own);
  if (r.success) return { data: r.data };
  problems.push(...issuesToProblems(r.error.issues, schema, locator, path, commonKeys));
  return undefined;
}

/**
 * `measurements:` entries: each type's own options checked with field paths like a phase's, `phases:`
 * names checked against the study's phases, and the default-on measurements added unless listed.
 */
function resolveMeasurements(
  value: unknown,
  phases: ResolvedPhase[],
  locator: Locator,
  problems: string[],
  options: LoadOptions,
): MeasurementEntry[] {
  const registry = options.measurementRegistry ?? builtinMeasurements();
  const raw = (value as { measurements?: unknown })?.measurements;
  const entries: MeasurementEntry[] = [];
  const seen = new Set<string>();
  const listedTypes = new Set<string>();
  const phaseNames = phases.map((p) => p.name);
  (Array.isArray(raw) ? raw : []).forEach((entry, i) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return;
    const e = entry as Record<string, unknown>;
    if (typeof e.type !== 'string') return;
    const at = (...path: (string | number)[]) => locator(['measurements', i, ...path]);
    const measurement = registry.get(e.type);
    if (!measurement) {
      const hint = registry.suggest(e.type);
      problems.push(
        `${at('type')}: measurements[${i}].type: unknown measurement "${e.type}"` +
          (hint ? ` (did you mean "${hint}"?)` : '') +
          `; known measurements: ${registry.names().join(', ')}`,
      );
      return;
    }
    listedTypes.add(measurement.type);
    const scoped = Array.isArray(e.phases)
      ? (e.phases as unknown[]).filter((x) => typeof x === 'string')
      : undefined;
    scoped?.forEach((p, j) => {
      if (phaseNames.includes(p)) return;
      const hint = closest(p, phaseNames);
      problems.push(
        `${at('phases', j)}: measurements[${i}].phases[${j}]: no phase named "${p}"` +
          (hint ? ` (did you mean "${hint}"?)` : `; phases: ${phaseNames.join(', ')}`),
      );
    });
    const r = ownOptions(
      e,
      measurement.options,
      MeasurementCommonKeys,
      ['measurements', i],
      locator,
      problems,
    );
    if (!r) return;
    const name = typeof e.name === 'string' ? e.name : measurement.type;
    if (seen.has(name)) {
      problems.push(
        `${at(typeof e.name === 'string' ? 'name' : 'type')}: measurements[${i}]: duplicate measurement name "${name}" (give each a distinct name:)`,
      );
      return;
    }
    seen.add(name);
    if (e.enabled === false) return;
    entries.push({
      name,
      type: measurement.type,
      phases: scoped as string[] | undefined,
      options: r.data,
      measurement,
    });
  });
  // apiserverMetrics is on whenever the target serves /metrics, unless the study lists it (to tune or turn it off).
  const implicit = registry.get('apiserverMetrics');
  if (implicit && !listedTypes.has('apiserverMetrics') && !seen.has('apiserverMetrics')) {
    entries.unshift({
      name: 'apiserverMetrics',
      type: 'apiserverMetrics',
      options: implicit.options.parse({}),
      measurement: implicit,
      implicit: true,
    });
  }
  return entries;
}

/** Problems in file order (FILE:LINE:COL), then those of --set flags, each group otherwise as found. */
function byPosition(problems: string[]): string[] {
  const pos = (p: string) => {
    const m = /^.*?:(\d+):(\d+): /.exec(p);
    return m ? Number(m[1]) * 1e6 + Number(m[2]) : Infinity;
  };
  return problems
    .map((p, i) => ({ p, i, at: pos(p) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.p);
}

/** A missing ${VAR} also makes its field invalid; report the cause once, not its echo. */
function withoutCascades(problems: string[]): string[] {
  const envAt = new Set(
    problems.filter((p) => p.includes(': environment variable ')).map((p) => p.split(': ')[0]),
  );
  return problems.filter((p) => p.includes(': environment variable ') || !envAt.has(p.split(': ')[0]));
}

function invalid(source: string, problems: string[]): InputError {
  const n = problems.length;
  return new InputError(`${source}: ${n} problem${n === 1 ? '' : 's'} in the study config`, {
    problems: byPosition(problems),
    hint: 'fix the fields above; `kubeperf run STUDY.yaml --dry-run` checks a study without sending a request',
  });
}

/**
 * The --set flags, each checked against the study as it is after the ones before it: a bad one is
 * reported as the flag (exit 2), never at a line of the study file or as an internal error.
 */
function parseOverrides(set: string[] | undefined, current: () => unknown): Override[] {
  const overrides = (set ?? []).map(parseOverride);
  const problems: string[] = [];
  const applied: Override[] = [];
  let config = current();
  for (const o of overrides) {
    const problem = overrideProblem(config, o);
    if (problem) {
      problems.push(`--set ${o.raw}: ${problem}`);
      continue;
    }
    applied.push(o);
    config = structuredClone(config);
    setIn(config as Record<string, unknown>, o.path, o.value);
  }
  if (problems.length)
    throw new InputError(`${problems.length} bad --set flag${problems.length === 1 ? '' : 's'}`, {
      problems,
      hint: 'paths use dots and list indexes, e.g. --set phases.0.objects=1000 (`kubeperf run STUDY --dry-run` shows the phases)',
    });
  return applied;
}

/** The --set flag that wrote `path` (or the field `key` inside it), if any. */
function overrideCovering(
  overrides: Override[],
  path: readonly PropertyKey[],
  key?: string,
): Override | undefined {
  const full = key === undefined ? path : [...path, key];
  return overrides.find(
    (o) => o.path.length <= full.length && o.path.every((s, i) => String(s) === String(full[i])),
  );
}

function parseScalar(text: string): unknown {
  try {
    const v = parseYamlValue(text);
    return v === null || typeof v === 'object' ? text : v;
  } catch {
    return text;
  }
}

function setIn(obj: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let cur: any = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    if (cur[seg] === undefined || cur[seg] === null || typeof cur[seg] !== 'object') {
      cur[seg] = typeof path[i + 1] === 'number' ? [] : {};
    }
    cur = cur[seg];
  }
  cur[path[path.length - 1]!] = value;
}
