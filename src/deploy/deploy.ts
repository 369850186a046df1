/**
 * `kubeperf deploy`: a study (a file, a built-in study's name, or a kube-burner config) becomes the
 * objects that run it in the cluster (manifests.ts), with least-privilege RBAC computed from it
 * (rbac.ts); applied, and with --wait, waited for and collected.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { LoadedStudy } from '../config/load.js';
import { envRefs, expandEnv } from '../config/env.js';
import { resolveStudyArg } from '../config/study-path.js';
import { InputError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { toolVersion } from '../core/version.js';
import type { KubeClient } from '../kube/client.js';
import { loadRunnable } from '../kubeburner/load.js';
import { newRunId, runIdProblem } from '../run/run-id.js';
import { applyManifests, waitForJob, type JobOutcome } from './apply.js';
import { builtinKinds, discoveryKinds } from './kinds.js';
import { deployName, manifestsYaml, renderManifests, type DeploySpec, type Manifest } from './manifests.js';
import { computeRbac } from './rbac.js';
import { bundleStudy } from './study-files.js';

/** The image the Dockerfile builds (`docker build -t kubeperf:<version> .`); push it and pass --image. */
export const defaultImage = () => `kubeperf:${toolVersion()}`;

export interface DeployInput {
  study: string;
  /** Default: the study's deploy.namespace, else `default`. */
  namespace?: string;
  workers: number;
  image?: string;
  /** `--env` flags: study variables, checked against the study. */
  env: Record<string, string>;
  set: string[];
  runId?: string;
  userData?: string;
  grantMetrics?: boolean;
  deadlineSeconds?: number;
  cpu?: string;
  memory?: string;
  /** Deploy the study's cleanup mode (deploy.cleanup.env). */
  cleanup?: boolean;
  /** The run keeps what it created (also the study's deploy.keep). */
  keep?: boolean;
}

export interface DeployPlan {
  spec: DeploySpec;
  manifests: Manifest[];
  yaml: string;
  loaded: LoadedStudy;
}

/** `--env K=V` flags → a map; bad ones are bad input. */
export function parseEnvFlags(list: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of list) {
    const i = e.indexOf('=');
    if (i <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.slice(0, i)))
      throw new InputError(`--env ${e}: expected NAME=value with an environment variable name`);
    out[e.slice(0, i)] = e.slice(i + 1);
  }
  return out;
}

/** What of a study's deploy block feeds its ${VAR} expansion, read before it. */
interface RawDeploy {
  env: Record<string, string>;
  cleanupEnv?: Record<string, string>;
  namespace?: string;
  /** Variables the kubeconfig Secret's name and key are written with (deploy-time only). */
  secretVars: string[];
}

function rawDeploy(path: string): RawDeploy {
  const strings = (o: Record<string, unknown> | undefined) =>
    Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, String(v)]));
  try {
    const d = (
      parseYaml(readFileSync(path, 'utf8')) as {
        deploy?: {
          env?: Record<string, unknown>;
          cleanup?: { env?: Record<string, unknown> };
          namespace?: unknown;
          kubeconfigSecret?: { name?: unknown; key?: unknown };
        };
      } | null
    )?.deploy;
    const secret = d?.kubeconfigSecret;
    return {
      env: strings(d?.env),
      ...(d?.cleanup?.env ? { cleanupEnv: strings(d.cleanup.env) } : {}),
      ...(typeof d?.namespace === 'string' ? { namespace: d.namespace } : {}),
      secretVars: envRefs(`${String(secret?.name ?? '')} ${String(secret?.key ?? '')}`),
    };
  } catch {
    return { env: {}, secretVars: [] }; // a kube-burner config (a Go template) or bad YAML: the loader reports it
  }
}

/**
 * The Job's namespace: --namespace, else the study's deploy.namespace, else `default`. When
 * deploy.namespace is `${VAR:-…}`, VAR names the namespace the study writes its results in (Milo's
 * NS): the pod gets VAR set to the Job's namespace, where the Role is.
 */
function deployNamespace(
  flag: string | undefined,
  raw: RawDeploy,
  env: Record<string, string>,
): { namespace: string; knob?: Record<string, string> } {
  const knob = raw.namespace?.match(/^\$\{([A-Z_][A-Z0-9_]*)(?::-[^}]*)?\}$/)?.[1];
  let ns = flag;
  if (ns === undefined && raw.namespace) {
    const x = expandEnv(raw.namespace, env);
    if (x.missing.length)
      throw new InputError(`deploy.namespace ${raw.namespace}: ${x.missing[0]} is not set`, {
        hint: `pass --namespace NS or --env ${x.missing[0]}=NS`,
      });
    ns = x.value;
  }
  ns ??= 'default';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns))
    throw new InputError(`--namespace ${ns}: not a valid namespace name`);
  if (!knob) return { namespace: ns };
  if (env[knob] !== undefined && env[knob] !== ns)
    throw new InputError(
      `--namespace ${ns} and ${knob}=${env[knob]} disagree: the study writes its results in ${knob}, which is the Job's namespace (its Role is there)`,
      { hint: 'drop one of them, or make them the same' },
    );
  return { namespace: ns, knob: { [knob]: ns } };
}

export async function planDeploy(i: DeployInput, client?: KubeClient, server?: string): Promise<DeployPlan> {
  if (!Number.isInteger(i.workers) || i.workers < 1)
    throw new InputError(`--workers ${i.workers}: must be a whole number of at least 1`, {
      hint: '--workers N runs N pods of an Indexed Job, each doing 1/N of the study',
    });
  const badId = i.runId !== undefined ? runIdProblem(i.runId) : undefined;
  if (badId) throw new InputError(badId);
  const arg = resolveStudyArg(i.study);
  const raw = rawDeploy(arg.path);
  if (i.cleanup && !raw.cleanupEnv)
    throw new InputError(`--cleanup: ${i.study} has no cleanup mode`, {
      hint: 'a study declares it under deploy.cleanup.env, e.g. {RUN_MODE: cleanup} (docs/deploy.md)',
    });
  const cleanupEnv = i.cleanup ? raw.cleanupEnv! : {};
  for (const [k, v] of Object.entries(cleanupEnv))
    if (i.env[k] !== undefined && i.env[k] !== v)
      throw new InputError(`--cleanup sets ${k}=${v}, which --env ${k}=${i.env[k]} contradicts`);
  const given = { ...cleanupEnv, ...i.env };
  const { namespace, knob } = deployNamespace(i.namespace, raw, { ...raw.env, ...given });
  const env = { ...raw.env, ...given, ...knob };
  const { loaded, userDataFile } = loadRunnable(arg.path, {
    set: i.set,
    env,
    userData: i.userData,
    envFlags: Object.entries(i.env).map(([k, v]) => `${k}=${v}`),
  });
  const deployCfg = loaded.study.deploy;
  // The pod's environment is exactly this: the study's deploy.env (expanded), its cleanup mode,
  // --env and the namespace knob; nothing of ours. The kubeconfig Secret's name and key are used
  // here, to mount it; the pod's target is that kubeconfig, so they are not passed on (they would
  // make it read the Secret again), and the RBAC is that of the study as the pod loads it.
  const deployOnly = deployCfg?.kubeconfigSecret ? raw.secretVars.filter((k) => k in env) : [];
  const forPod = (e: Record<string, string>) =>
    Object.fromEntries(Object.entries(e).filter(([k]) => !deployOnly.includes(k)));
  const podEnv = forPod({ ...deployCfg?.env, ...given, ...knob });
  const inPod = deployOnly.length
    ? loadRunnable(arg.path, { set: i.set, env: forPod(env), userData: i.userData }).loaded
    : loaded;
  const rbac = await computeRbac(inPod, {
    namespace,
    workers: i.workers,
    resolver: client && server ? discoveryKinds(client.mapper, server) : builtinKinds(),
    grantMetrics: i.grantMetrics,
    phasesElsewhere: !!deployCfg?.kubeconfigSecret,
  });
  const runId = i.runId ?? newRunId();
  const bundle = arg.builtin
    ? undefined
    : bundleStudy(arg.path, loaded.configForResults, userDataFile ? [userDataFile] : []);
  const spec: DeploySpec = {
    runId,
    namespace,
    workers: i.workers,
    image: i.image ?? defaultImage(),
    study: bundle ? { bundle } : { builtin: arg.builtin! },
    set: i.set,
    env: podEnv,
    rbac,
    keep: !!(i.keep || deployCfg?.keep),
    ...(deployCfg?.kubeconfigSecret ? { kubeconfigSecret: deployCfg.kubeconfigSecret } : {}),
    ...(i.deadlineSeconds ? { deadlineSeconds: i.deadlineSeconds } : {}),
    resources: { cpu: i.cpu, memory: i.memory },
    ...(userDataFile && bundle
      ? { userData: bundle.files.find((f) => f.source === userDataFile)?.path }
      : {}),
  };
  const manifests = renderManifests(spec);
  return { spec, manifests, yaml: manifestsYaml(manifests, spec), loaded };
}

export async function applyDeploy(client: KubeClient, plan: DeployPlan, log: Logger): Promise<void> {
  await applyManifests(client, plan.manifests, log);
  const s = plan.spec;
  log.info(
    `run ${s.runId}: Job ${s.namespace}/${deployName(s.runId)}${s.workers > 1 ? ` (${s.workers} workers)` : ''}; results: kubeperf collect --namespace ${s.namespace} --run-id ${s.runId}`,
  );
}

export async function waitDeployed(
  client: KubeClient,
  plan: DeployPlan,
  o: { timeoutMs: number; log: Logger; signal?: AbortSignal; pollMs?: number },
): Promise<JobOutcome> {
  return waitForJob(client, plan.spec.namespace, deployName(plan.spec.runId), o);
}
