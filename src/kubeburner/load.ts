/**
 * What `kubeperf run` and `kubeperf deploy` load: a kubeperf study, or a kube-burner config detected
 * by its top-level keys (jobs:, global:, metricsEndpoints:), rendered as a Go template (environment,
 * --user-data), overridden with --set (kube-burner's paths: jobs.0.jobIterations=5), translated
 * (translate.ts) and then validated like any study. Translation problems are reported at once with
 * FILE:LINE:COL and the field's path (exit 2).
 */
import { basename, dirname, extname, resolve } from 'node:path';
import { loadStudyObject, loadStudyText, readStudyFile, type LoadedStudy } from '../config/load.js';
import { parseOverride } from '../config/overrides.js';
import { StudySchema } from '../config/schema.js';
import { locate, parseYamlSource } from '../config/yaml-source.js';
import { InputError } from '../core/errors.js';
import { builtinRegistry } from '../phases/builtin.js';
import type { PhaseRegistry } from '../phases/registry.js';
import { isKubeBurnerConfig, readUserData, renderConfigTemplate } from './config-template.js';
import { fmt, translateKubeBurner, type Translation } from './translate.js';

export interface Runnable {
  loaded: LoadedStudy;
  /** Set for kube-burner configs: notes to show and keep in the results. */
  kubeBurner?: { notes: string[]; study: Record<string, unknown> };
  /** The --user-data file, resolved (deploy ships it to the pod). */
  userDataFile?: string;
}

export interface RunnableOptions {
  set?: string[];
  env?: NodeJS.ProcessEnv;
  userData?: string;
  registry?: PhaseRegistry;
  /** `--env NAME=value` of deploy, checked against a study's variables (not a kube-burner config's). */
  envFlags?: string[];
}

const readText = (file: string): string =>
  readStudyFile(
    file,
    'pass the path of a study YAML file (or a kube-burner config), or no file to run the default study',
  );

/** Whether this build has study-level measurements (issue 11's promQuery). */
const measurementsSupported = 'measurements' in StudySchema.shape;

export function translateKubeBurnerFile(
  file: string,
  o: RunnableOptions = {},
): { translation: Translation; rendered: string } {
  const text = readText(file);
  const env = o.env ?? process.env;
  const rendered = renderConfigTemplate(text, file, {
    env,
    userData: o.userData ? readUserData(o.userData) : undefined,
  });
  const src = parseYamlSource(rendered, file);
  if (src.errors.length)
    throw new InputError(`${file}: the rendered kube-burner config is not valid YAML`, {
      problems: src.errors,
    });
  for (const raw of o.set ?? []) {
    const ov = parseOverride(raw);
    src.doc.setIn(ov.path, src.doc.createNode(ov.value));
  }
  const translation = translateKubeBurner(src.doc.toJS(), {
    name: basename(file, extname(file)),
    baseDir: dirname(resolve(file)),
    measurementsSupported,
  });
  if (translation.problems.length) {
    const pos = (path: (string | number)[]) => {
      const p = locate(src, path);
      return `${file}:${p.line}:${p.col}`;
    };
    throw new InputError(`${file}: ${translation.problems.length} problem(s) in the kube-burner config`, {
      problems: translation.problems.map((x) => `${pos(x.path)}: ${fmt(x.path)}: ${x.message}`),
      hint: 'docs/kube-burner.md lists every kube-burner field and how kubeperf runs it',
    });
  }
  return { translation, rendered };
}

export function loadRunnable(file: string, o: RunnableOptions = {}): Runnable {
  const registry = o.registry ?? builtinRegistry();
  const text = readText(file);
  const userDataFile = o.userData ? resolve(o.userData) : undefined;
  if (!isKubeBurnerConfig(text)) {
    if (o.userData)
      throw new InputError('--user-data applies to kube-burner configs; this is a kubeperf study', {
        hint: 'a study reads ${VAR} from the environment',
      });
    return {
      loaded: loadStudyText(text, file, dirname(resolve(file)), {
        registry,
        set: o.set,
        env: o.env,
        envFlags: o.envFlags,
      }),
    };
  }
  const { translation } = translateKubeBurnerFile(file, o);
  const loaded = loadStudyObject(translation.study, file, dirname(resolve(file)), { registry });
  return { loaded, kubeBurner: { notes: translation.notes, study: translation.study }, userDataFile };
}
