/**
 * Prometheus text from a /metrics endpoint: a URL is fetched directly, an API server path
 * (/api/v1/namespaces/…/services/…:port/proxy/metrics, or /metrics itself) through the API server with
 * the target's credentials.
 */
import type { KubeClient } from './client.js';

export type MetricsFetch = () => Promise<string>;

export function metricsFetcher(urlOrPath: string, client: KubeClient): MetricsFetch {
  if (/^https?:\/\//.test(urlOrPath)) {
    return async () => {
      const r = await fetch(urlOrPath, { signal: AbortSignal.timeout(5000) });
      if (!r.ok) throw new Error(`GET ${urlOrPath}: HTTP ${r.status}`);
      return r.text();
    };
  }
  return async () => {
    const r = await client.rest.request({ method: 'GET', path: urlOrPath, timeoutMs: 5000 });
    if (r.status !== 200) throw new Error(`GET ${urlOrPath} through the API server: HTTP ${r.status}`);
    return r.body;
  };
}
