/**
 * Options of the `milo` phase. Every knob of Milo's performance runner (test/performance in
 * datum-cloud/milo: perf_run.py and its Job manifests) is an option here, under a camelCase name,
 * and `studies/milo.yaml` maps each runner name onto it as `${NAME:-default}`, so it can be set as
 * an environment variable or with `--set NAME=value`. `KNOBS` is the single table of that mapping
 * (docs, the study, the deploy env and the knobs recorded in results all come from it).
 */
import { z } from 'zod';
import { parseDuration } from '../../config/duration.js';
import { ProjectControllerOptions } from '../../controllers/project/options.js';

/** Python's parse_bool of the runner: 1/true/t/yes/y/on (any case) is true, anything else false. */
const runnerBool = z
  .union([z.boolean(), z.number(), z.string()])
  .transform((v) =>
    typeof v === 'boolean'
      ? v
      : ['1', 'true', 't', 'yes', 'y', 'on'].includes(String(v).trim().toLowerCase()),
  );

/** int() of the runner: a whole number, also as text. */
const runnerInt = (min = 0) =>
  z
    .union([z.number(), z.string().regex(/^\s*\d+\s*$/, 'must be a whole number')])
    .transform(Number)
    .pipe(z.number().int().min(min));

/** The runner's text knobs; '' means unset (the ${NAME:-} of the study). */
const text = z.string().default('');

const duration = z
  .union([z.string(), z.number()])
  .refine((s) => parseDuration(s) !== undefined, 'must be a duration such as 500ms, 2s or 15m');

export const MiloOptions = z.strictObject({
  /** RUN_MODE: run the study, or delete a previous run's objects (cleanup). */
  mode: z.enum(['run', 'cleanup']).default('run'),
  numProjects: runnerInt(1).default(100),
  runObjectsPhase: runnerBool.default(true),
  numSecretsPerProject: runnerInt().default(100),
  numConfigmapsPerProject: runnerInt().default(100),
  projectConcurrency: runnerInt().default(4),
  objectConcurrency: runnerInt(1).default(8),
  stabilizeSeconds: runnerInt().default(90),
  /** ORG_NAME; '' = perf-<test id>. */
  orgName: text,
  /** TEST_ID of the run to clean up (cleanup mode; '' = read it from the perf-results ConfigMap). */
  testId: z
    .string()
    .regex(/^([0-9a-f]{8})?$/, 'must be the 8 hex digits of a run’s test_id')
    .default(''),
  /** MEASURE_WINDOW: the range of rate() and avg_over_time(), as PromQL writes it. */
  measureWindow: z
    .string()
    .regex(/^(\d+(ms|s|m|h|d|w|y))+$/, 'must be a PromQL duration such as 30s or 2m')
    .default('2m'),
  /** NS: namespace of the perf-results ConfigMap (on the run's target). */
  namespace: z.string().min(1).default('milo-system'),
  /** MILO_NAMESPACE: namespace of the apiserver and etcd pods measured. */
  miloNamespace: z.string().min(1).default('milo-system'),
  apiserverPodRegex: z.string().min(1).default('milo-apiserver.*'),
  etcdPodRegex: z.string().min(1).default('etcd.*'),
  /** VM_BASE_URL: VictoriaMetrics (or Prometheus) base URL; '' = see docs/milo.md#snapshots. */
  vmBaseUrl: z.union([z.literal(''), z.url()]).default(''),
  /** VM_NAMESPACE/VM_SERVICE_NAME/VM_PORT: the in-cluster VictoriaMetrics service ('' = the runner's default). */
  vmNamespace: text,
  vmServiceName: text,
  vmPort: z.union([z.literal(''), runnerInt(1)]).default(''),
  /** AUTH_BEARER_TOKEN: replaces the Milo kubeconfig's token. */
  authBearerToken: text,
  /** MILO_KUBECONFIG_PATH: Milo's kubeconfig; '' = the run's target is Milo. */
  miloKubeconfig: text,
  /** MILO_KUBECONFIG_SECRET_NAME/_KEY: read Milo's kubeconfig from this Secret in `namespace`. */
  miloKubeconfigSecretName: text,
  miloKubeconfigSecretKey: z.string().default('kubeconfig'),

  // kubeperf's own options (no runner knob).
  /** Per-project timeout of the wait for Ready (the runner's 900 s). */
  readyTimeout: duration.default('900s'),
  /** Poll each project in creation order like the runner (its projects_ready_seconds); the watch runs either way. */
  readinessPoll: z.boolean().default(true),
  /** The runner's poll interval. */
  pollInterval: duration.default('2s'),
  /** The runner's retry rule for creates: attempts and the first/last backoff (1-2-4-8-16 s). */
  createRetry: z
    .strictObject({
      attempts: z.number().int().min(1).max(20).default(6),
      firstDelay: duration.default('1s'),
      maxDelay: duration.default('16s'),
    })
    .prefault({}),
  /** Attempts of each metrics query on a transport error (the runner retries 6 times, 2·n s apart). */
  metricsAttempts: z.number().int().min(1).max(10).default(6),
  /** Scrape interval of the VictoriaMetrics the phase starts itself (docs/milo.md#snapshots). */
  scrapeInterval: duration.default('1s'),
  /** Start the simulated project controller: auto = on the run's own embedded control plane. */
  startController: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Options of the simulated project controller (src/controllers/project). */
  controller: ProjectControllerOptions.prefault({}),
  /** After cleanup, wait this long for the test's projects to be gone (their finalizer). */
  cleanupWait: duration.default('120s'),
});
export type MiloOptions = z.output<typeof MiloOptions>;

export interface Knob {
  /** The runner's environment variable. */
  env: string;
  option: keyof MiloOptions;
  /** The runner's default as its Job/task has it ('' = unset, auto or derived). */
  runnerDefault: string;
  doc: string;
}

/** Every runner knob: environment name → phase option. */
export const KNOBS: readonly Knob[] = [
  { env: 'RUN_MODE', option: 'mode', runnerDefault: 'run', doc: 'run, or cleanup (delete a previous run)' },
  { env: 'NUM_PROJECTS', option: 'numProjects', runnerDefault: '100', doc: 'Projects to create' },
  {
    env: 'RUN_OBJECTS_PHASE',
    option: 'runObjectsPhase',
    runnerDefault: 'true',
    doc: 'Create Secrets/ConfigMaps in each project',
  },
  {
    env: 'NUM_SECRETS_PER_PROJECT',
    option: 'numSecretsPerProject',
    runnerDefault: '100',
    doc: 'Secrets per project',
  },
  {
    env: 'NUM_CONFIGMAPS_PER_PROJECT',
    option: 'numConfigmapsPerProject',
    runnerDefault: '100',
    doc: 'ConfigMaps per project',
  },
  {
    env: 'PROJECT_CONCURRENCY',
    option: 'projectConcurrency',
    runnerDefault: '4',
    doc: 'Projects filled in parallel',
  },
  {
    env: 'OBJECT_CONCURRENCY',
    option: 'objectConcurrency',
    runnerDefault: '8',
    doc: 'Parallel creates inside a project',
  },
  {
    env: 'STABILIZE_SECONDS',
    option: 'stabilizeSeconds',
    runnerDefault: '90',
    doc: 'Sleep before the after-projects and after-objects snapshots',
  },
  {
    env: 'ORG_NAME',
    option: 'orgName',
    runnerDefault: '',
    doc: 'Organization name (default perf-<test_id>)',
  },
  {
    env: 'TEST_ID',
    option: 'testId',
    runnerDefault: '',
    doc: 'cleanup: the run to delete (default: from the perf-results ConfigMap)',
  },
  {
    env: 'MEASURE_WINDOW',
    option: 'measureWindow',
    runnerDefault: '2m',
    doc: 'Window of rate() and avg_over_time()',
  },
  {
    env: 'NS',
    option: 'namespace',
    runnerDefault: 'milo-system',
    doc: 'Namespace of the perf-results ConfigMap (and the Job)',
  },
  {
    env: 'MILO_NAMESPACE',
    option: 'miloNamespace',
    runnerDefault: 'milo-system',
    doc: 'Namespace of the measured apiserver and etcd pods',
  },
  {
    env: 'APISERVER_POD_REGEX',
    option: 'apiserverPodRegex',
    runnerDefault: 'milo-apiserver.*',
    doc: 'apiserver pods',
  },
  { env: 'ETCD_POD_REGEX', option: 'etcdPodRegex', runnerDefault: 'etcd.*', doc: 'etcd pods' },
  {
    env: 'VM_BASE_URL',
    option: 'vmBaseUrl',
    runnerDefault: '',
    doc: 'VictoriaMetrics base URL (overrides the service knobs)',
  },
  {
    env: 'VM_NAMESPACE',
    option: 'vmNamespace',
    runnerDefault: 'telemetry-system',
    doc: 'VictoriaMetrics service namespace',
  },
  {
    env: 'VM_SERVICE_NAME',
    option: 'vmServiceName',
    runnerDefault: 'vmsingle-telemetry-system-vm-victoria-metrics-k8s-stack',
    doc: 'VictoriaMetrics service',
  },
  { env: 'VM_PORT', option: 'vmPort', runnerDefault: '8428', doc: 'VictoriaMetrics service port' },
  {
    env: 'AUTH_BEARER_TOKEN',
    option: 'authBearerToken',
    runnerDefault: '',
    doc: "Token replacing the Milo kubeconfig's",
  },
  {
    env: 'MILO_KUBECONFIG_PATH',
    option: 'miloKubeconfig',
    runnerDefault: '',
    doc: 'Milo kubeconfig file (default: the run target is Milo)',
  },
  {
    env: 'MILO_KUBECONFIG_SECRET_NAME',
    option: 'miloKubeconfigSecretName',
    runnerDefault: 'milo-controller-manager-kubeconfig',
    doc: 'Secret holding the Milo kubeconfig',
  },
  {
    env: 'MILO_KUBECONFIG_SECRET_KEY',
    option: 'miloKubeconfigSecretKey',
    runnerDefault: 'kubeconfig',
    doc: 'Key of the kubeconfig in that Secret',
  },
];

/** The runner's defaults of the in-cluster VictoriaMetrics service. */
export const VM_DEFAULTS = {
  namespace: 'telemetry-system',
  service: 'vmsingle-telemetry-system-vm-victoria-metrics-k8s-stack',
  port: 8428,
};
