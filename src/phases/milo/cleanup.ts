/**
 * The runner's cleanup mode (RUN_MODE=cleanup; `kubeperf cleanup --milo`; the end of a run unless
 * --keep): test_id and org_name from the options or from the perf-results ConfigMap; then, per
 * project of the test (listed at the root by app=milo-perf,test-id=<id>), its labelled Secrets and
 * ConfigMaps in its own control plane, then the Project through the organization's control plane;
 * then the Organization; then the ConfigMap. Only objects carrying this test's labels are deleted
 * (the runner deletes the Organization and the ConfigMap by name; kubeperf checks their labels
 * first). Afterwards it waits, bounded, until the projects are gone (their finalizer).
 */
import { InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { configmaps, organizations, projects, secrets } from '../../controllers/project/api.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { pool } from '../../kube/cleanup.js';
import { objectPath } from '../../kube/discovery.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { describeResponse } from '../../kube/response.js';
import { sleep } from '../../load/sleep.js';
import type { MiloApi } from './clients.js';
import type { CleanupReport } from './data.js';
import { deleteResultsConfigMap, readResultsConfigMap, RESULTS_CONFIGMAP } from './results-configmap.js';

export interface CleanupOptions {
  testId?: string;
  orgName?: string;
  /** NS: namespace of perf-results. */
  namespace: string;
  waitMs: number;
  log: Logger;
  signal?: AbortSignal;
  /** Where test_id/org_name came from when given (default 'options'). */
  from?: CleanupReport['from'];
}

export const testSelector = (testId: string) => `app=milo-perf,test-id=${testId}`;

/** test_id and org_name from the options, else from perf-results. */
export async function resolveTest(
  results: KubeClient,
  o: Pick<CleanupOptions, 'testId' | 'orgName' | 'namespace'>,
): Promise<{ testId: string; orgName: string; from: CleanupReport['from'] }> {
  if (o.testId && o.orgName) return { testId: o.testId, orgName: o.orgName, from: 'options' };
  const cm = await readResultsConfigMap(results, o.namespace).catch(() => undefined);
  const testId = o.testId || cm?.data.test_id;
  const orgName = o.orgName || cm?.data.org_name;
  if (!testId || !orgName) {
    throw new InputError(
      `cleanup needs the test's id and organization: ${cm ? `ConfigMap ${o.namespace}/${RESULTS_CONFIGMAP} lacks test_id/org_name` : `no ConfigMap ${o.namespace}/${RESULTS_CONFIGMAP}`}`,
      { hint: 'set TEST_ID and ORG_NAME (or --test-id and --org-name)' },
    );
  }
  return { testId, orgName, from: o.testId || o.orgName ? 'options' : 'configmap' };
}

async function deleteLabelled(
  c: KubeClient,
  m: ResourceMapping,
  ns: string,
  selector: string,
  errors: string[],
): Promise<number> {
  let items: KubeObject[];
  try {
    items = (await c.listAll(m, ns, { labelSelector: selector })).items;
  } catch (e) {
    errors.push(`list ${m.resource}: ${(e as Error).message}`);
    return 0;
  }
  let n = 0;
  for (const it of items) {
    const r = await c.rest.request({ method: 'DELETE', path: objectPath(m, ns, it.metadata.name!) });
    if (r.status < 300) n++;
    else if (r.status !== 404)
      errors.push(`delete ${m.resource} ${it.metadata.name}: ${describeResponse(r)}`);
  }
  return n;
}

export async function cleanupMilo(
  api: MiloApi,
  results: KubeClient,
  o: CleanupOptions & { testId: string; orgName: string },
): Promise<CleanupReport> {
  const t0 = performance.now();
  const selector = testSelector(o.testId);
  const report: CleanupReport = {
    testId: o.testId,
    orgName: o.orgName,
    from: o.from ?? 'options',
    deleted: { secrets: 0, configmaps: 0, projects: 0, organization: false, configMap: false },
    skipped: [],
    remainingProjects: [],
    errors: [],
    ms: 0,
  };
  const listProjects = async () =>
    (await api.root.listAll(projects, undefined, { labelSelector: selector })).items.map(
      (p) => p.metadata.name!,
    );
  const names = await listProjects();
  o.log.info(`cleanup of test ${o.testId}: ${names.length} project(s) of organization ${o.orgName}`);
  const orgApi = api.org(o.orgName);
  await pool(names, 8, async (name) => {
    if (o.signal?.aborted) return;
    const c = api.project(name);
    // Awaited first: `x += await f()` would read x before the await and lose other workers' counts.
    const s = await deleteLabelled(c, secrets, 'default', selector, report.errors);
    const m = await deleteLabelled(c, configmaps, 'default', selector, report.errors);
    report.deleted.secrets += s;
    report.deleted.configmaps += m;
    const r = await orgApi.rest.request({ method: 'DELETE', path: objectPath(projects, undefined, name) });
    if (r.status < 300) report.deleted.projects++;
    else if (r.status !== 404 && r.status !== 409)
      report.errors.push(`delete project ${name}: ${describeResponse(r)}`);
  });

  const org = await api.root.rest.request({
    method: 'GET',
    path: objectPath(organizations, undefined, o.orgName),
  });
  if (org.status === 200) {
    const labels = (JSON.parse(org.body) as KubeObject).metadata.labels ?? {};
    if (labels.app === 'milo-perf' && labels['test-id'] === o.testId) {
      const r = await api.root.rest.request({
        method: 'DELETE',
        path: objectPath(organizations, undefined, o.orgName),
      });
      if (r.status < 300) report.deleted.organization = true;
      else if (r.status !== 404)
        report.errors.push(`delete organization ${o.orgName}: ${describeResponse(r)}`);
    } else report.skipped.push(`organization ${o.orgName} (not labelled test-id=${o.testId})`);
  } else if (org.status !== 404)
    report.errors.push(`get organization ${o.orgName}: ${describeResponse(org)}`);

  const deadline = performance.now() + o.waitMs;
  for (;;) {
    report.remainingProjects = await listProjects().catch((e: unknown) => {
      report.errors.push(`list projects: ${(e as Error).message}`);
      return [];
    });
    if (!report.remainingProjects.length || performance.now() >= deadline || o.signal?.aborted) break;
    await sleep(250, o.signal).catch(() => {});
  }
  if (report.remainingProjects.length)
    o.log.warn(
      `cleanup: ${report.remainingProjects.length} project(s) still terminating (finalizer): ${report.remainingProjects.slice(0, 5).join(', ')}`,
    );

  try {
    const cm = await deleteResultsConfigMap(results, o.namespace, o.testId);
    report.deleted.configMap = cm === 'deleted';
    if (cm === 'not ours')
      report.skipped.push(`configmap ${o.namespace}/${RESULTS_CONFIGMAP} (not labelled test-id=${o.testId})`);
  } catch (e) {
    report.errors.push((e as Error).message);
  }
  report.ms = performance.now() - t0;
  return report;
}
