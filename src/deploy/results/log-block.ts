/**
 * The fallback path out of a pod: at the end of an in-cluster run, results.json is also printed to
 * the pod's log between two marker lines (gzip, base64, with its sha256), so `kubeperf collect` can
 * read a finished Job's pod log when the results ConfigMap could not be written or was deleted.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

const BEGIN = /^-{3} kubeperf results (\S+?)(?: worker (\d+)\/(\d+))? begin sha256=([0-9a-f]{64}) -{3}$/;
const END = '--- kubeperf results end ---';

export function formatLogBlock(
  runId: string,
  results: Buffer,
  worker?: { index: number; count: number },
): string {
  const sha = createHash('sha256').update(results).digest('hex');
  const b64 = gzipSync(results, { level: 9 }).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 120) lines.push(b64.slice(i, i + 120));
  const who = worker && worker.count > 1 ? ` worker ${worker.index}/${worker.count}` : '';
  return [`--- kubeperf results ${runId}${who} begin sha256=${sha} ---`, ...lines, END, ''].join('\n');
}

export interface LogBlock {
  runId: string;
  worker?: { index: number; count: number };
  results: Buffer;
}

/** Every complete, intact block in a log (log lines may carry a timestamp prefix or CR). */
export function parseLogBlocks(log: string): { blocks: LogBlock[]; damaged: number } {
  const blocks: LogBlock[] = [];
  let damaged = 0;
  let cur: { runId: string; worker?: LogBlock['worker']; sha: string; lines: string[] } | undefined;
  for (const raw of log.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/^\S+Z /, '');
    const m = BEGIN.exec(line);
    if (m) {
      if (cur) damaged++;
      cur = {
        runId: m[1]!,
        ...(m[2] ? { worker: { index: Number(m[2]), count: Number(m[3]) } } : {}),
        sha: m[4]!,
        lines: [],
      };
      continue;
    }
    if (!cur) continue;
    if (line === END) {
      try {
        const results = gunzipSync(Buffer.from(cur.lines.join(''), 'base64'));
        if (createHash('sha256').update(results).digest('hex') === cur.sha)
          blocks.push({ runId: cur.runId, ...(cur.worker ? { worker: cur.worker } : {}), results });
        else damaged++;
      } catch {
        damaged++;
      }
      cur = undefined;
    } else cur.lines.push(line.trim());
  }
  if (cur) damaged++;
  return { blocks, damaged };
}
