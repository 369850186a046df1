/** Study variables: `${NAME}` references set by `--set NAME=value` (before the environment). */
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { resolveStudyArg } from './study-path.js';

const resolveStudyPath = (name: string) => resolveStudyArg(name).path;
import { builtinRegistry } from '../phases/builtin.js';
import { KNOBS, type MiloOptions } from '../phases/milo/options.js';
import { readFileSync } from 'node:fs';
import { loadStudyFile, loadStudyText } from './load.js';

const registry = builtinRegistry();
const study = 'phases:\n  - type: pause\n    duration: ${PAUSE:-10ms}\n    name: "${NAME:-p}"\n';

describe('study variables', () => {
  it('--set NAME=value sets a referenced variable, ahead of the environment', () => {
    const env = { PAUSE: '5ms', NAME: 'from-env' };
    const l = loadStudyText(study, 's.yaml', '.', { registry, env, set: ['NAME=from-set'] });
    expect(l.phases[0]!.name).toBe('from-set');
    expect(l.phases[0]!.options).toMatchObject({ duration: '5ms' });
    // An empty value falls back to the default, like an empty environment variable.
    const d = loadStudyText(study, 's.yaml', '.', { registry, env: {}, set: ['NAME='] });
    expect(d.phases[0]!.name).toBe('p');
  });

  it('rejects a variable the study does not reference, suggesting the closest', () => {
    try {
      loadStudyText(study, 's.yaml', '.', { registry, env: {}, set: ['PAUS=1ms'] });
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).exitCode).toBe(2);
      expect((e as InputError).problems).toEqual([
        '--set PAUS=1ms: s.yaml has no variable PAUS (did you mean PAUSE?); its variables: NAME, PAUSE',
      ]);
    }
  });

  it('keeps path overrides for everything else', () => {
    const l = loadStudyText(study, 's.yaml', '.', { registry, env: {}, set: ['phases.0.duration=7ms'] });
    expect(l.phases[0]!.options).toMatchObject({ duration: '7ms' });
  });
});

describe('the built-in milo study', () => {
  const load = (set: string[], env: NodeJS.ProcessEnv = {}) =>
    loadStudyFile(resolveStudyPath('milo'), { registry, set, env }).phases[0]!.options as MiloOptions;

  it('has the runner’s defaults', () => {
    expect(load([])).toMatchObject({
      mode: 'run',
      numProjects: 100,
      runObjectsPhase: true,
      numSecretsPerProject: 100,
      numConfigmapsPerProject: 100,
      projectConcurrency: 4,
      objectConcurrency: 8,
      stabilizeSeconds: 90,
      orgName: '',
      measureWindow: '2m',
      namespace: 'milo-system',
      miloNamespace: 'milo-system',
      apiserverPodRegex: 'milo-apiserver.*',
      etcdPodRegex: 'etcd.*',
      vmBaseUrl: '',
      vmPort: '',
      miloKubeconfigSecretKey: 'kubeconfig',
    });
  });

  it('takes every knob as an environment variable or --set, with the runner’s parse_bool', () => {
    const o = load(['NUM_PROJECTS=20', 'RUN_OBJECTS_PHASE=no', 'VM_PORT=9000'], {
      ORG_NAME: 'perf-cow',
      RUN_MODE: 'cleanup',
      TEST_ID: 'abcdef01',
    });
    expect(o).toMatchObject({
      numProjects: 20,
      runObjectsPhase: false,
      vmPort: 9000,
      orgName: 'perf-cow',
      mode: 'cleanup',
      testId: 'abcdef01',
    });
    expect(load([], { RUN_OBJECTS_PHASE: 'Y' }).runObjectsPhase).toBe(true);
    expect(load(['RUN_OBJECTS_PHASE=0']).runObjectsPhase).toBe(false);
  });

  it('names the bad value of a knob', () => {
    try {
      load(['NUM_PROJECTS=many']);
      throw new Error('expected an error');
    } catch (e) {
      expect((e as InputError).problems.join('\n')).toMatch(/milo\.yaml:\d+:\d+: phases\[0\]\.numProjects/);
    }
  });

  it('maps every runner knob of the phase’s table onto its option', () => {
    const text = readFileSync(resolveStudyPath('milo'), 'utf8');
    for (const k of KNOBS) expect(text).toMatch(new RegExp(`\\b${k.option}: ["']?\\$\\{${k.env}:-`));
  });

  it('resolves a built-in study by name and explains an unknown one', () => {
    expect(resolveStudyPath('milo')).toMatch(/studies\/milo\.yaml$/);
    expect(() => resolveStudyPath('mlio')).toThrow(
      'no study file "mlio" and no built-in study of that name (did you mean "milo"?)',
    );
  });
});
