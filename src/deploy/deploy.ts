/**
 * `kubeperf deploy`: a study (a file, a built-in study's name, or a kube-burner config) becomes the
 * objects that run it in the cluster (manifests.ts), with least-privilege RBAC computed from it
 * (rbac.ts); applied, and with --wait, waited for and collected.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { LoadedStudy } from '../config/load.js';
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
  namespace: string;
  workers: number;
  image?: string;
  env: Record<string, string>;
  set: string[];
  runId?: string;
  userData?: string;
  grantMetrics?: boolean;
  deadlineSeconds?: number;
  cpu?: string;
  memory?: string;
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

/** The `deploy.env` of a study, read before ${VAR} expansion (its values feed that expansion). */
function studyDeployEnv(path: string): Record<string, string> {
  try {
    const raw = parseYaml(readFileSync(path, 'utf8')) as {
      deploy?: { env?: Record<string, unknown> };
    } | null;
    return Object.fromEntries(Object.entries(raw?.deploy?.env ?? {}).map(([k, v]) => [k, String(v)]));
  } catch {
    return {}; // a kube-burner config (a Go template) or bad YAML: the loader reports it properly
  }
}

export async function planDeploy(i: DeployInput, client?: KubeClient, server?: string): Promise<DeployPlan> {
  if (!Number.isInteger(i.workers) || i.workers < 1)
    throw new InputError(`--workers ${i.workers}: must be a whole number of at least 1`, {
      hint: '--workers N runs N pods of an Indexed Job, each doing 1/N of the study',
    });
  const badId = i.runId !== undefined ? runIdProblem(i.runId) : undefined;
  if (badId) throw new InputError(badId);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(i.namespace))
    throw new InputError(`--namespace ${i.namespace}: not a valid namespace name`);
  const arg = resolveStudyArg(i.study);
  // The pod's environment is exactly this: the study's deploy.env and --env, nothing of ours.
  const env = { ...studyDeployEnv(arg.path), ...i.env };
  const { loaded, userDataFile } = loadRunnable(arg.path, { set: i.set, env, userData: i.userData });
  const deployCfg = loaded.study.deploy;
  const rbac = await computeRbac(loaded, {
    namespace: i.namespace,
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
    namespace: i.namespace,
    workers: i.workers,
    image: i.image ?? defaultImage(),
    study: bundle ? { bundle } : { builtin: arg.builtin! },
    set: i.set,
    env: { ...(deployCfg?.env ?? {}), ...i.env },
    rbac,
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
