/**
 * `kubeperf collect`: reads an in-cluster run's results back out of the cluster: the results
 * ConfigMap(s) of the run (every worker's), reassembled and checked (layout.ts), or, when there are
 * none, the results printed in the log of the run's pods (log-block.ts). Several workers' parts are
 * merged (workers/merge.ts) and each part is kept under worker-<I>/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { KubeClient } from '../../kube/client.js';
import { ResultsSchema, type Results } from '../../results/types.js';
import { reportFilesIn, writeReports } from '../../report/write.js';
import { writeResultsFile } from '../../results/file.js';
import { mergeWorkerResults } from '../workers/merge.js';
import { decodeResults, LABEL_RESULTS_OF, type Manifest, type ReadConfigMap } from './layout.js';
import { parseLogBlocks } from './log-block.js';
import { configMapMapping } from './publish.js';

/** Label on everything `kubeperf deploy` creates, and on the Job's pods. */
export const LABEL_DEPLOY = 'kubeperf.io/deploy';

export interface Collected {
  source: 'configmap' | 'log';
  /** Worker parts (one for a single-process run). */
  parts: { index?: number; results: Buffer; report?: Buffer; manifest?: Manifest }[];
  warnings: string[];
}

export async function fetchResults(
  client: KubeClient,
  o: { namespace: string; runId: string; name?: string; log: Logger },
): Promise<Collected> {
  const { items } = await client.listAll<ReadConfigMap & { metadata: { name: string } }>(
    configMapMapping,
    o.namespace,
    { labelSelector: `${LABEL_RESULTS_OF}=${o.runId}` },
  );
  const byName = new Map(items.map((c) => [c.metadata.name, c]));
  const primaries = items.filter((c) => c.data?.['manifest.json'] && (!o.name || c.metadata.name === o.name));
  const warnings: string[] = [];
  if (primaries.length) {
    const parts = primaries.map((p) => {
      const { manifest, files } = decodeResults(p, byName);
      if (manifest.state !== 'finished')
        warnings.push(
          `ConfigMap ${p.metadata.name}: the run has not finished; this is its checkpoint after phase ${manifest.phase || '(none)'} (${manifest.phasesDone} done)`,
        );
      if (!files['results.json'])
        throw new InputError(`ConfigMap ${p.metadata.name}: the manifest lists no results.json`);
      return {
        index: manifest.worker?.index,
        results: files['results.json'],
        report: files['report.html'],
        manifest,
      };
    });
    return { source: 'configmap', parts, warnings };
  }
  o.log.info(`no results ConfigMap for run ${o.runId} in ${o.namespace}; reading the logs of its pods`);
  const pods = await client.listAll<{ metadata: { name: string } }>(
    await client.mapper.resolve('v1', 'Pod'),
    o.namespace,
    { labelSelector: `${LABEL_DEPLOY}=${o.runId}` },
  );
  const parts: Collected['parts'] = [];
  let damaged = 0;
  for (const pod of pods.items) {
    const r = await client.rest.request({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/log`,
    });
    if (r.status !== 200) {
      warnings.push(`pod ${pod.metadata.name}: log not readable (HTTP ${r.status})`);
      continue;
    }
    const found = parseLogBlocks(r.body);
    damaged += found.damaged;
    for (const b of found.blocks.filter((x) => x.runId === o.runId)) {
      // A restarted pod prints again: the last block of a worker wins.
      const at = parts.findIndex((x) => x.index === b.worker?.index);
      const part = { index: b.worker?.index, results: b.results };
      if (at >= 0) parts[at] = part;
      else parts.push(part);
    }
  }
  if (!parts.length)
    throw new InputError(
      `no results for run ${o.runId} in namespace ${o.namespace}: no results ConfigMap labelled ${LABEL_RESULTS_OF}=${o.runId}` +
        (pods.items.length
          ? `, and none of its ${pods.items.length} pod log(s) carries a complete results block${damaged ? ` (${damaged} damaged)` : ''}`
          : ', and no pod labelled ' + `${LABEL_DEPLOY}=${o.runId}`),
      { hint: 'check the namespace and run id (kubeperf deploy prints both), and that the Job has finished' },
    );
  return { source: 'log', parts, warnings };
}

/**
 * What `kubeperf collect` and `deploy --wait` do: the run's results fetched, their warnings logged,
 * and written to `out` (default kubeperf-results/<run-id>).
 */
export async function collectInto(
  client: KubeClient,
  o: { namespace: string; runId: string; name?: string; out?: string; log: Logger },
): Promise<{ source: Collected['source']; out: string; results: Results; files: string[] }> {
  const c = await fetchResults(client, o);
  for (const w of c.warnings) o.log.warn(w);
  const out = o.out ?? `kubeperf-results/${o.runId}`;
  return { source: c.source, out, ...(await writeCollected(c, out)) };
}

function parseResults(buf: Buffer, what: string): Results {
  let raw: unknown;
  try {
    raw = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw new InputError(`${what}: results.json is not JSON: ${(e as Error).message}`);
  }
  const r = ResultsSchema.safeParse(raw);
  if (!r.success) throw new InputError(`${what}: not a kubeperf results.json (schemaVersion 1)`);
  return r.data;
}

/** Writes what was collected: one run as it was written, or every worker's part plus their merge. */
export async function writeCollected(
  c: Collected,
  out: string,
): Promise<{ results: Results; files: string[] }> {
  mkdirSync(out, { recursive: true });
  const files: string[] = [];
  const write = async (dir: string, part: Collected['parts'][number]) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'results.json'), part.results);
    files.push(join(dir, 'results.json'));
    const results = parseResults(part.results, join(dir, 'results.json'));
    const reports = reportFilesIn(dir);
    // The run's own report.html when it was collected; the others rendered here.
    if (part.report) writeFileSync(reports.html, part.report);
    await writeReports(results, part.report ? { md: reports.md, junit: reports.junit } : reports);
    files.push(reports.html);
    return results;
  };
  const distributed = c.parts.length > 1 || c.parts.some((p) => p.index !== undefined);
  if (!distributed) return { results: await write(out, c.parts[0]!), files };
  const parts: Results[] = [];
  for (const p of [...c.parts].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)))
    parts.push(await write(join(out, `worker-${p.index ?? 0}`), p));
  const merged = mergeWorkerResults(parts, { sources: parts.map((p) => `worker ${p.worker?.index ?? '?'}`) });
  writeResultsFile(join(out, 'results.json'), merged);
  await writeReports(merged, reportFilesIn(out));
  files.push(join(out, 'results.json'), join(out, 'report.html'));
  return { results: merged, files };
}
