/**
 * The runner's create_objects_in_projects: PROJECT_CONCURRENCY projects at a time (one after another
 * when ≤ 1), in each project's own control plane first its Secrets `perf-secret-001`… then its
 * ConfigMaps `perf-configmap-001`…, OBJECT_CONCURRENCY creates at a time, in the project's `default`
 * namespace, with the runner's bodies and labels; 409 is tolerated. Every create is timed
 * (ops `create-secret`, `create-configmap`); an error is recorded and counted, never hidden. Then each
 * project's control plane is listed to count the labelled objects that are really there.
 */
import type { Logger } from '../../core/logger.js';
import type { ProgressReporter } from '../../core/progress.js';
import { configmaps, secrets } from '../../controllers/project/api.js';
import { pool } from '../../kube/cleanup.js';
import { collectionPath } from '../../kube/discovery.js';
import { describeResponse } from '../../kube/response.js';
import type { Recorder } from '../../metrics/recorder.js';
import type { MiloApi } from './clients.js';
import type { ObjectsRecord } from './data.js';
import { sendWithRetry, type CreateRetry } from './retry.js';

export interface ObjectsRun {
  numSecrets: number;
  numConfigmaps: number;
  projectConcurrency: number;
  objectConcurrency: number;
  labels: Record<string, string>;
  selector: string;
  retry: CreateRetry;
  recorder: Recorder;
  signal: AbortSignal;
  log: Logger;
  progress: ProgressReporter;
}

const pad = (i: number) => String(i).padStart(3, '0');
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

export async function createObjects(api: MiloApi, names: string[], run: ObjectsRun): Promise<ObjectsRecord> {
  const out: ObjectsRecord = {
    secrets: { created: 0, errors: 0 },
    configmaps: { created: 0, errors: 0 },
    perProject: [],
  };
  const firstErrors: string[] = [];
  const fill = async (project: string) => {
    if (run.signal.aborted) return;
    const c = api.project(project);
    const t0 = performance.now();
    let errors = 0;
    const create = async (kind: 'secret' | 'configmap', i: number) => {
      if (run.signal.aborted) return;
      const body =
        kind === 'secret'
          ? {
              metadata: { name: `perf-secret-${pad(i)}`, labels: run.labels },
              stringData: { note: `secret ${i} for ${project}` },
              type: 'Opaque',
            }
          : {
              metadata: { name: `perf-configmap-${pad(i)}`, labels: run.labels },
              data: { note: `configmap ${i} for ${project}` },
            };
      const r = await sendWithRetry(
        c.rest,
        `create-${kind}`,
        {
          method: 'POST',
          path: collectionPath(kind === 'secret' ? secrets : configmaps, 'default'),
          body: JSON.stringify(body),
        },
        { retry: run.retry, recorder: run.recorder, signal: run.signal },
      );
      const ok = r.response && (r.response.status < 300 || r.response.status === 409);
      const tally = kind === 'secret' ? out.secrets : out.configmaps;
      if (ok) tally.created++;
      else {
        tally.errors++;
        errors++;
        if (firstErrors.length < 5)
          firstErrors.push(
            `${project} ${body.metadata.name}: ${r.response ? describeResponse(r.response) : String(r.error)}`,
          );
      }
      run.progress.advance(1, ok ? 0 : 1);
    };
    run.log.debug(`[${project}] creating ${run.numSecrets} Secrets (concurrency=${run.objectConcurrency})`);
    await pool(range(run.numSecrets), run.objectConcurrency, (i) => create('secret', i));
    run.log.debug(
      `[${project}] creating ${run.numConfigmaps} ConfigMaps (concurrency=${run.objectConcurrency})`,
    );
    await pool(range(run.numConfigmaps), run.objectConcurrency, (i) => create('configmap', i));
    out.perProject.push({ name: project, ms: performance.now() - t0, errors });
  };
  await pool(names, Math.max(1, run.projectConcurrency), fill);
  out.perProject.sort((a, b) => (a.name < b.name ? -1 : 1));
  if (firstErrors.length) run.log.warn(`object creates failed, e.g. ${firstErrors.join('; ')}`);
  out.listed = await countObjects(api, names, run.selector);
  return out;
}

/** Labelled Secrets and ConfigMaps found by listing every project's `default` namespace. */
export async function countObjects(
  api: MiloApi,
  names: string[],
  selector: string,
): Promise<NonNullable<ObjectsRecord['listed']>> {
  const listed = { secrets: 0, configmaps: 0, projectsChecked: 0 };
  await pool(names, 8, async (project) => {
    const c = api.project(project);
    const [s, m] = await Promise.all([
      c.listAll(secrets, 'default', { labelSelector: selector }),
      c.listAll(configmaps, 'default', { labelSelector: selector }),
    ]);
    listed.secrets += s.items.length;
    listed.configmaps += m.items.length;
    listed.projectsChecked++;
  });
  return listed;
}
