/**
 * The results ConfigMap layout (docs/deploy.md): how an in-cluster run's files (results.json,
 * report.html) go into ConfigMaps and come back byte for byte.
 *
 * `<name>` (default `kubeperf-results-<run-id>`, `-w<I>` per worker) holds `manifest.json`, `verdict`,
 * `phase` and, when everything fits, the files as plain `data` keys. Larger files are gzipped into
 * `binaryData` (base64 on the wire) as `<file>.gz`, or in chunks `<file>.gz.000`, `.001`… spread over
 * `<name>`, `<name>-1`, `<name>-2`… so no ConfigMap exceeds the API's 1 MiB limit. The manifest lists
 * every chunk with its ConfigMap and key, and the sha256 of each file, so a missing or stale part is
 * detected rather than silently reassembled.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { InputError } from '../../core/errors.js';

/** kube-apiserver refuses ConfigMaps whose data + binaryData exceed 1 MiB (keys and values). */
export const CONFIGMAP_LIMIT = 1024 * 1024;
/** What we fill a ConfigMap to: the limit less room for the manifest and small keys. */
export const DEFAULT_BUDGET = CONFIGMAP_LIMIT - 32 * 1024;

export const LABEL_RESULTS_OF = 'kubeperf.io/results-of';
export const LABEL_RESULTS_PART = 'kubeperf.io/results-part';

export interface FileEntry {
  encoding: 'plain' | 'gzip';
  /** Size of the file itself. */
  bytes: number;
  sha256: string;
  chunks: { configMap: string; key: string }[];
}

export interface Manifest {
  format: 1;
  runId: string;
  worker?: { index: number; count: number };
  /** running: a checkpoint after a phase; finished: the final results with the report. */
  state: 'running' | 'finished';
  /** The last phase that finished. */
  phase: string;
  phasesDone: number;
  verdict: string;
  exitCode?: number;
  updatedAt: string;
  /** ConfigMaps holding this run's (worker's) files, the first being the one with this manifest. */
  configMaps: string[];
  files: Record<string, FileEntry>;
}

export interface ConfigMapBody {
  name: string;
  data: Record<string, string>;
  binaryData: Record<string, string>;
}

export function resultsConfigMapName(runId: string, worker?: { index: number; count: number }): string {
  return worker && worker.count > 1
    ? `kubeperf-results-${runId}-w${worker.index}`
    : `kubeperf-results-${runId}`;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Lays files out over one or more ConfigMaps (the first carries the manifest). */
export function encodeResults(
  name: string,
  files: Record<string, Buffer>,
  meta: Omit<Manifest, 'format' | 'files' | 'configMaps'>,
  budget = DEFAULT_BUDGET,
): ConfigMapBody[] {
  const maps: ConfigMapBody[] = [{ name, data: {}, binaryData: {} }];
  const used = [0];
  const entries: Record<string, FileEntry> = {};
  const plainTotal = Object.entries(files).reduce((a, [k, v]) => a + k.length + v.length, 0);
  if (plainTotal <= budget && Object.values(files).every(isUtf8)) {
    for (const [k, v] of Object.entries(files)) {
      maps[0]!.data[k] = v.toString('utf8');
      entries[k] = {
        encoding: 'plain',
        bytes: v.length,
        sha256: sha256(v),
        chunks: [{ configMap: name, key: k }],
      };
    }
  } else {
    for (const [k, v] of Object.entries(files)) {
      const gz = gzipSync(v, { level: 9 });
      const chunks: FileEntry['chunks'] = [];
      const single = gz.length + k.length + 3 <= budget - used[maps.length - 1]!;
      let at = 0;
      while (at < gz.length || chunks.length === 0) {
        let i = maps.length - 1;
        const key = single ? `${k}.gz` : `${k}.gz.${String(chunks.length).padStart(3, '0')}`;
        let room = budget - used[i]! - key.length;
        if (room < 4096) {
          maps.push({ name: `${name}-${maps.length}`, data: {}, binaryData: {} });
          used.push(0);
          i++;
          room = budget - key.length;
        }
        const part = gz.subarray(at, at + room);
        maps[i]!.binaryData[key] = part.toString('base64');
        used[i]! += key.length + part.length;
        chunks.push({ configMap: maps[i]!.name, key });
        at += part.length;
      }
      entries[k] = { encoding: 'gzip', bytes: v.length, sha256: sha256(v), chunks };
    }
  }
  const manifest: Manifest = { format: 1, ...meta, configMaps: maps.map((m) => m.name), files: entries };
  maps[0]!.data['manifest.json'] = JSON.stringify(manifest, null, 2);
  maps[0]!.data.verdict = meta.verdict;
  maps[0]!.data.phase = meta.phase;
  return maps;
}

/** The ConfigMaps' content as read back from the API (`data`, `binaryData` base64). */
export interface ReadConfigMap {
  metadata: { name?: string };
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

/** Reassembles the files of one manifest; a missing or altered part is bad input (exit 2). */
export function decodeResults(
  primary: ReadConfigMap,
  byName: Map<string, ReadConfigMap>,
): { manifest: Manifest; files: Record<string, Buffer> } {
  const where = `ConfigMap ${primary.metadata.name}`;
  const text = primary.data?.['manifest.json'];
  if (!text)
    throw new InputError(`${where} has no manifest.json: it is not a kubeperf results ConfigMap`, {
      hint: 'pass the run id of an in-cluster run (kubeperf deploy prints it)',
    });
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch (e) {
    throw new InputError(`${where}: manifest.json is not JSON: ${(e as Error).message}`);
  }
  const files: Record<string, Buffer> = {};
  for (const [file, entry] of Object.entries(manifest.files ?? {})) {
    const parts: Buffer[] = [];
    for (const c of entry.chunks) {
      const cm = c.configMap === primary.metadata.name ? primary : byName.get(c.configMap);
      if (!cm)
        throw new InputError(
          `${where}: ${file} is missing part ${c.key}: ConfigMap ${c.configMap} does not exist`,
          { hint: 'the run may still be writing a checkpoint (collect again), or the part was deleted' },
        );
      const v = entry.encoding === 'plain' ? cm.data?.[c.key] : cm.binaryData?.[c.key];
      if (v === undefined)
        throw new InputError(`${where}: ${file} is missing part ${c.key} in ConfigMap ${c.configMap}`, {
          hint: 'the run may still be writing a checkpoint (collect again), or the part was removed',
        });
      parts.push(entry.encoding === 'plain' ? Buffer.from(v, 'utf8') : Buffer.from(v, 'base64'));
    }
    let content: Buffer;
    try {
      content = entry.encoding === 'gzip' ? gunzipSync(Buffer.concat(parts)) : Buffer.concat(parts);
    } catch (e) {
      throw new InputError(
        `${where}: ${file} does not decompress (${(e as Error).message}): a part is stale or damaged`,
        {
          hint: 'collect again once the run wrote its next checkpoint',
        },
      );
    }
    if (sha256(content) !== entry.sha256)
      throw new InputError(`${where}: ${file} does not match its checksum: a part is stale or damaged`, {
        hint: 'collect again once the run wrote its next checkpoint',
      });
    files[file] = content;
  }
  return { manifest, files };
}
