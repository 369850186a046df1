/**
 * The `milo` phase: Milo's performance runner (datum-cloud/milo test/performance/scripts/perf_run.py)
 * step for step — checkpoint → baseline snapshot → Organization → N Projects through the
 * organization's control plane → wait for all Ready (projects_ready_seconds) → stabilise → snapshot
 * after_projects → Secrets then ConfigMaps in every project's control plane → stabilise → snapshot
 * after_secrets → milo-results.json and the perf-results ConfigMap — with kubeperf's measurements
 * beside the runner's figures (readiness per project from a watch, latency of every create, per-object
 * deltas). RUN_MODE=cleanup deletes a previous run's objects instead. docs/milo.md has the details.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDuration } from '../../config/duration.js';
import { InputError } from '../../core/errors.js';
import { launchController, type ControllerProcess } from '../../controllers/runtime/launch.js';
import type { KubeClient } from '../../kube/client.js';
import { labelSafe, runLabels } from '../../kube/labels.js';
import { sleep } from '../../load/sleep.js';
import type { PhaseContext, PhaseOutput, PhasePlan, PhaseType } from '../types.js';
import { miloAccess } from './access.js';
import { connectMilo, connectRunTarget, type MiloApi } from './clients.js';
import { cleanupMilo, resolveTest, testSelector } from './cleanup.js';
import type { MiloData, Snapshot, SnapshotName } from './data.js';
import { createObjects } from './objects.js';
import { KNOBS, MiloOptions } from './options.js';
import { createOrgAndProjects } from './projects.js';
import { writeResultsConfigMap } from './results-configmap.js';
import { runnerResults, snapshotDeltas } from './runner-results.js';
import { resolveMetricsSource, takeSnapshot, type MetricsSource } from './snapshots.js';

const ms = (d: string | number) => parseDuration(d)!;

function knobValues(o: MiloOptions, testId: string, orgName: string): MiloData['knobs'] {
  const out: MiloData['knobs'] = {};
  for (const k of KNOBS) {
    const v = o[k.option];
    if (k.env === 'AUTH_BEARER_TOKEN') out[k.env] = v ? '(set)' : '';
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k.env] = v;
  }
  out.TEST_ID = testId;
  out.ORG_NAME = orgName;
  return out;
}

function plan(o: MiloOptions): PhasePlan {
  if (o.mode === 'cleanup') {
    return {
      steps: [
        `cleanup of test ${o.testId || '(test_id from ConfigMap perf-results)'} in ${o.namespace}: labelled Secrets/ConfigMaps per project, the Projects, the Organization, the ConfigMap`,
      ],
      needsCluster: true,
    };
  }
  const perProject = o.runObjectsPhase ? o.numSecretsPerProject + o.numConfigmapsPerProject : 0;
  const steps = [
    `checkpoint perf-results in ${o.namespace}; baseline snapshot of ${o.miloNamespace}/${o.apiserverPodRegex} and ${o.etcdPodRegex} (window ${o.measureWindow})`,
    `create Organization ${o.orgName || 'perf-<test_id>'} (Standard) and ${o.numProjects} Projects one by one through its control plane`,
    `wait for every Project Ready (${o.readinessPoll ? `poll every ${o.pollInterval} in creation order, plus a watch` : 'watch'}; ${o.readyTimeout} per project)`,
    `stabilise ${o.stabilizeSeconds}s; snapshot after_projects`,
  ];
  if (o.runObjectsPhase) {
    steps.push(
      `${o.numSecretsPerProject} Secrets then ${o.numConfigmapsPerProject} ConfigMaps in each project's default namespace (${o.projectConcurrency} projects × ${o.objectConcurrency} creates in parallel)`,
      `stabilise ${o.stabilizeSeconds}s; snapshot after_secrets`,
    );
  }
  steps.push('milo-results.json and perf-results (results.json, report.html)');
  return {
    steps,
    requests: 1 + o.numProjects * (1 + perProject),
    objects: 1 + o.numProjects * (1 + perProject),
    needsCluster: true,
  };
}

interface Run {
  o: MiloOptions;
  ctx: PhaseContext;
  data: MiloData;
  results: KubeClient;
  labels: Record<string, string>;
  warnings: string[];
  invalid: string[];
}

async function checkpoint(
  r: Run,
  phase: string,
  extra: Record<string, string> = {},
  full?: Record<string, string>,
): Promise<void> {
  const data = full ?? { test_id: r.data.testId, org_name: r.data.orgName, phase, ...extra };
  try {
    await writeResultsConfigMap(r.results, r.o.namespace, r.labels, data);
    r.data.checkpoints.push({ phase, ok: true });
  } catch (e) {
    const error = (e as Error).message;
    r.data.checkpoints.push({ phase, ok: false, error });
    r.warnings.push(`perf-results checkpoint ${phase}: ${error}`);
  }
}

async function snapshot(r: Run, src: MetricsSource, name: SnapshotName): Promise<Snapshot> {
  const s = await takeSnapshot(src, r.o, r.ctx.signal);
  (r.data.snapshots ??= {})[name] = s;
  if (s.status === 'missing' && src.endpoint) r.warnings.push(`snapshot ${name} missing: ${s.reason}`);
  const cores = (v: number | null | undefined) => (v == null ? '–' : v.toFixed(3));
  const mb = (v: number | null | undefined) => (v == null ? '–' : (v / 1e6).toFixed(1));
  const v = s.status === 'ok' ? s.values : undefined;
  r.ctx.log.info(
    `snapshot ${name}: ${v ? `apiserver ${cores(v.apiserver_cpu_cores)} cores, ${mb(v.apiserver_mem_bytes)} MB; etcd ${cores(v.etcd_cpu_cores)} cores, ${mb(v.etcd_mem_bytes)} MB (${s.variant})` : `missing (${s.reason})`}`,
  );
  return s;
}

async function stabilize(r: Run, what: string): Promise<void> {
  if (r.o.stabilizeSeconds <= 0) return;
  r.ctx.log.info(`stabilizing for ${r.o.stabilizeSeconds}s after ${what}`);
  r.ctx.progress.status(`stabilizing ${r.o.stabilizeSeconds}s`);
  await sleep(r.o.stabilizeSeconds * 1000, r.ctx.signal).catch(() => {});
}

/** The run's simulated project controller per Milo server: one, however many milo phases (a real Milo runs one). */
const controllers = new Map<string, ControllerProcess>();

async function startController(r: Run, api: MiloApi): Promise<ControllerProcess | undefined> {
  const { o, ctx } = r;
  const want =
    o.startController === 'always' ||
    (o.startController === 'auto' && ctx.target.kind === 'embedded' && api.isRunTarget);
  if (!want) return undefined;
  const running = controllers.get(api.target.server);
  if (running && !running.exit) return running;
  const controller = await launchController('project', {
    kubeconfig: api.target.kubeconfigPath!,
    context: api.target.context,
    options: o.controller,
  });
  controllers.set(api.target.server, controller);
  // Stopped at the very end (cleanups run in reverse): the project finalizers need it.
  ctx.onCleanup(async () => {
    controllers.delete(api.target.server);
    await controller.stop();
  });
  await ctx.observe?.registerProcess?.({
    pid: controller.pid,
    namespace: o.miloNamespace,
    pod: 'milo-controller-manager-0',
    container: 'manager',
  });
  ctx.log.info(
    `simulated project controller pid ${controller.pid} (${o.controller.workers} worker(s)), metrics ${controller.metricsUrl}`,
  );
  return controller;
}

async function runStudy(o: MiloOptions, ctx: PhaseContext): Promise<PhaseOutput> {
  const testId = randomBytes(4).toString('hex');
  const orgName = o.orgName.trim() || `perf-${testId}`;
  const labels = {
    app: 'milo-perf',
    'test-id': testId,
    ...runLabels(ctx.runId, labelSafe(ctx.phaseName), 0),
  };
  const selector = testSelector(testId);
  const data: MiloData = {
    mode: 'run',
    testId,
    orgName,
    knobs: knobValues(o, testId, orgName),
    checkpoints: [],
  };
  const results = await connectRunTarget(ctx.resultsTarget ?? ctx.target);
  const r: Run = { o, ctx, data, results, labels, warnings: [], invalid: [] };
  const retry = {
    attempts: o.createRetry.attempts,
    firstDelayMs: ms(o.createRetry.firstDelay),
    maxDelayMs: ms(o.createRetry.maxDelay),
  };
  let api: MiloApi | undefined;
  let metrics: MetricsSource | undefined;
  try {
    api = await connectMilo(ctx.target, results, o);
    const controller = await startController(r, api);
    ctx.log.info(
      `test ${testId}: organization ${orgName}, ${o.numProjects} projects on ${api.target.server}`,
    );
    // The end of the run deletes what this test made (unless --keep), in the runner's cleanup order.
    ctx.onCleanup(async () => {
      const c = await connectRunTarget(ctx.resultsTarget ?? ctx.target);
      const m = await connectMilo(ctx.target, c, o);
      try {
        data.cleanup = await cleanupMilo(m, c, {
          testId,
          orgName,
          namespace: o.namespace,
          waitMs: ms(o.cleanupWait),
          log: ctx.log,
          from: 'run',
        });
      } finally {
        await m.close();
        await c.close();
      }
    });
    await checkpoint(r, 'init', { num_projects: String(o.numProjects) });

    metrics = await resolveMetricsSource(o, {
      milo: api.root,
      miloTarget: api.target,
      observe: ctx.observe,
      scrapeIntervalMs: ms(o.scrapeInterval),
      log: ctx.log,
      inCluster: !!process.env.KUBERNETES_SERVICE_HOST,
    });
    data.metrics = {
      source: metrics.source,
      url: metrics.endpoint?.url,
      window: o.measureWindow,
      ...(metrics.skipped ? { skipped: metrics.skipped } : {}),
    };
    if (metrics.skipped) r.warnings.push(metrics.skipped);
    if (metrics.stack && controller)
      await metrics.stack.addTarget({ url: `${controller.metricsUrl}`, job: 'controllers' });

    const baseline = await snapshot(r, metrics, 'baseline');
    ctx.progress.start(
      1 + o.numProjects * (1 + (o.runObjectsPhase ? o.numSecretsPerProject + o.numConfigmapsPerProject : 0)),
      'creates',
    );
    const p = await createOrgAndProjects(api, {
      orgName,
      labels,
      selector,
      numProjects: o.numProjects,
      retry,
      readyTimeoutMs: ms(o.readyTimeout),
      poll: o.readinessPoll,
      pollIntervalMs: ms(o.pollInterval),
      recorder: ctx.recorder,
      signal: ctx.signal,
      log: ctx.log,
      progress: ctx.progress,
    });
    data.projects = p.record;
    if (p.orgExisted)
      r.warnings.push(
        `Organization ${orgName} already existed (409); cleanup deletes it only if it carries this test's labels`,
      );
    if (p.watchLost)
      r.invalid.push(
        `the projects watch was lost (${p.watchLost}); per-project readiness after the gap is unknown`,
      );
    if (p.failure) {
      ctx.log.error(p.failure);
      r.invalid.push(p.failure);
      return output(r);
    }
    if (ctx.signal.aborted) return output(r);
    await checkpoint(r, 'org-created');

    await stabilize(r, 'projects are Ready');
    const afterProjects = await snapshot(r, metrics, 'after_projects');
    await checkpoint(r, 'projects-ready', { num_projects: String(o.numProjects) });

    let afterSecrets: Snapshot | null = null;
    if (o.runObjectsPhase && !ctx.signal.aborted) {
      ctx.log.info(
        `creating ${o.numSecretsPerProject} secrets and ${o.numConfigmapsPerProject} configmaps per project`,
      );
      data.objects = await createObjects(
        api,
        p.record.list.map((x) => x.name),
        {
          numSecrets: o.numSecretsPerProject,
          numConfigmaps: o.numConfigmapsPerProject,
          projectConcurrency: o.projectConcurrency,
          objectConcurrency: o.objectConcurrency,
          labels,
          selector,
          retry,
          recorder: ctx.recorder,
          signal: ctx.signal,
          log: ctx.log,
          progress: ctx.progress,
        },
      );
      const failed = data.objects.secrets.errors + data.objects.configmaps.errors;
      if (failed)
        r.warnings.push(
          `${failed} Secret/ConfigMap creates failed (see ops create-secret, create-configmap)`,
        );
      await stabilize(r, 'secrets/configmaps');
      afterSecrets = await snapshot(r, metrics, 'after_secrets');
    } else data.snapshots!.after_secrets = null;
    if (ctx.signal.aborted) return output(r);

    data.deltas = snapshotDeltas(
      data.snapshots!,
      o.numProjects,
      o.numSecretsPerProject + o.numConfigmapsPerProject,
    );
    data.runner = runnerResults({
      testId,
      orgName,
      numProjects: o.numProjects,
      numSecrets: o.numSecretsPerProject,
      numConfigmaps: o.numConfigmapsPerProject,
      projectsReadySeconds: p.record.readySeconds!,
      baseline,
      afterProjects,
      afterSecrets,
    });
    const json = JSON.stringify(data.runner, null, 2);
    await writeFile(join(ctx.outDir, 'milo-results.json'), json + '\n');
    // The report module is only needed here (and is heavy): loaded on use.
    const { renderMiloPage } = await import('../../report/sections/milo.js');
    await checkpoint(
      r,
      'complete',
      {},
      {
        'results.json': json,
        'report.html': renderMiloPage(data, ctx.recorder.snapshot()),
        test_id: testId,
        org_name: orgName,
        phase: 'complete',
      },
    );
    ctx.log.info(
      `Perf run complete: projects_ready_seconds=${data.runner.projects_ready_seconds.toFixed(2)}`,
    );
  } catch (e) {
    if (e instanceof InputError) throw e;
    r.invalid.push(`the Milo run stopped: ${(e as Error).message}`);
  } finally {
    await metrics
      ?.stop()
      .catch((e: unknown) => ctx.log.warn(`stopping victoria-metrics: ${(e as Error).message}`));
    await api?.close();
    await results.close();
  }
  return output(r);
}

function output(r: Run): PhaseOutput {
  return {
    data: { milo: r.data },
    ...(r.warnings.length ? { warnings: r.warnings } : {}),
    ...(r.invalid.length ? { invalidReasons: r.invalid } : {}),
  };
}

async function runCleanup(o: MiloOptions, ctx: PhaseContext): Promise<PhaseOutput> {
  const results = await connectRunTarget(ctx.resultsTarget ?? ctx.target);
  let api: MiloApi | undefined;
  try {
    const test = await resolveTest(results, { testId: o.testId, orgName: o.orgName, namespace: o.namespace });
    api = await connectMilo(ctx.target, results, o);
    const report = await cleanupMilo(api, results, {
      ...test,
      namespace: o.namespace,
      waitMs: ms(o.cleanupWait),
      log: ctx.log,
      signal: ctx.signal,
    });
    const data: MiloData = {
      mode: 'cleanup',
      testId: test.testId,
      orgName: test.orgName,
      knobs: knobValues(o, test.testId, test.orgName),
      checkpoints: [],
      cleanup: report,
    };
    ctx.log.info(
      `Cleanup complete: ${report.deleted.projects} projects, ${report.deleted.secrets} secrets, ${report.deleted.configmaps} configmaps`,
    );
    const warnings = [...report.errors, ...report.skipped.map((s) => `left alone: ${s}`)];
    if (report.remainingProjects.length)
      warnings.push(`${report.remainingProjects.length} project(s) still terminating after ${o.cleanupWait}`);
    return { data: { milo: data }, ...(warnings.length ? { warnings } : {}) };
  } finally {
    await api?.close();
    await results.close();
  }
}

export const miloPhase: PhaseType<MiloOptions> = {
  type: 'milo',
  description:
    "Milo's performance runner: an Organization, N Projects (time to Ready), M Secrets + K ConfigMaps per project, apiserver/etcd CPU and memory snapshots, perf-results; RUN_MODE=cleanup deletes a run (docs/milo.md)",
  options: MiloOptions,
  plan,
  access: (o) => miloAccess(o),
  // No splitsWork: the runner's figures are of one organization as a whole (projects created one
  // after another, first create → last Ready, CPU/memory snapshots between steps), which N workers
  // each doing a share would not reproduce. A distributed run does it on worker 0.
  run: (o, ctx) => (o.mode === 'cleanup' ? runCleanup(o, ctx) : runStudy(o, ctx)),
};
