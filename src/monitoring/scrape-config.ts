/**
 * The scrape configuration of the local metrics stack, in the format Prometheus and VictoriaMetrics
 * both read: the API server's /metrics, the cAdvisor container metrics through the API server's node
 * proxy (the path the usual `kubernetes-cadvisor` job uses), kubeperf's exporter, and a file_sd file
 * for targets added while running (simulated controllers). Every series gets a `cluster` label, the
 * kubernetes-mixin convention the shipped dashboards select on.
 */
import { stringify } from 'yaml';

export interface ScrapeAuth {
  /** Bearer token, written to a file the config points at (never inline). */
  tokenFile?: string;
  basic?: { username: string; password: string };
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipVerify?: boolean;
}

export interface ScrapeInputs {
  scrapeIntervalMs: number;
  cluster: string;
  /** API server base URL (scheme://host:port). */
  apiServer?: string;
  auth?: ScrapeAuth;
  /**
   * Static cAdvisor path through the API server (the embedded control plane's node); undefined on a
   * real cluster, whose nodes are discovered (kubernetes_sd_configs role node).
   */
  cadvisorPath?: string;
  /** kubeperf's exporter, http://host:port. */
  exporterUrl?: string;
  /** file_sd file for targets added at run time. */
  fileSdPath: string;
}

function promInterval(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

function httpClient(auth: ScrapeAuth | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (auth?.tokenFile) out.authorization = { type: 'Bearer', credentials_file: auth.tokenFile };
  if (auth?.basic) out.basic_auth = { username: auth.basic.username, password: auth.basic.password };
  const tls: Record<string, unknown> = {};
  if (auth?.caFile) tls.ca_file = auth.caFile;
  if (auth?.certFile) tls.cert_file = auth.certFile;
  if (auth?.keyFile) tls.key_file = auth.keyFile;
  if (auth?.insecureSkipVerify) tls.insecure_skip_verify = true;
  if (Object.keys(tls).length) out.tls_config = tls;
  return out;
}

/** Jobs with static targets in the config (the stack waits until each has been scraped once). */
export function staticJobs(i: ScrapeInputs): string[] {
  return [
    ...(i.apiServer ? ['apiserver', ...(i.cadvisorPath ? ['kubernetes-cadvisor'] : [])] : []),
    ...(i.exporterUrl ? ['kubeperf'] : []),
  ];
}

export function scrapeConfig(i: ScrapeInputs): string {
  const interval = promInterval(i.scrapeIntervalMs);
  // A scrape must end before the next one starts; the API server's /metrics can be large.
  const timeout = promInterval(Math.max(500, Math.floor(i.scrapeIntervalMs * 0.9)));
  const labels = { cluster: i.cluster };
  const jobs: Record<string, unknown>[] = [];
  if (i.apiServer) {
    const u = new URL(i.apiServer);
    const base = {
      scheme: u.protocol.replace(':', ''),
      ...httpClient(i.auth),
    };
    jobs.push({
      job_name: 'apiserver',
      metrics_path: '/metrics',
      static_configs: [{ targets: [u.host], labels }],
      ...base,
    });
    if (i.cadvisorPath) {
      jobs.push({
        job_name: 'kubernetes-cadvisor',
        metrics_path: i.cadvisorPath,
        static_configs: [{ targets: [u.host], labels }],
        ...base,
      });
    } else {
      jobs.push({
        job_name: 'kubernetes-cadvisor',
        kubernetes_sd_configs: [{ role: 'node', api_server: i.apiServer, ...httpClient(i.auth) }],
        relabel_configs: [
          { target_label: '__address__', replacement: u.host },
          {
            source_labels: ['__meta_kubernetes_node_name'],
            regex: '(.+)',
            target_label: '__metrics_path__',
            replacement: '/api/v1/nodes/$1/proxy/metrics/cadvisor',
          },
          { target_label: 'cluster', replacement: i.cluster },
        ],
        ...base,
      });
    }
  }
  if (i.exporterUrl) {
    jobs.push({
      job_name: 'kubeperf',
      static_configs: [{ targets: [new URL(i.exporterUrl).host], labels }],
    });
  }
  jobs.push({
    job_name: 'controllers',
    file_sd_configs: [{ files: [i.fileSdPath] }],
  });
  return stringify(
    { global: { scrape_interval: interval, scrape_timeout: timeout }, scrape_configs: jobs },
    { aliasDuplicateObjects: false },
  );
}

export interface ExtraTarget {
  /** Scrape URL, e.g. http://127.0.0.1:8081/metrics */
  url: string;
  /** `job` label (default "controllers"). */
  job?: string;
  labels?: Record<string, string>;
}

/** file_sd JSON for targets added at run time. */
export function fileSd(targets: readonly ExtraTarget[], cluster: string): string {
  return JSON.stringify(
    targets.map((t) => {
      const u = new URL(t.url);
      return {
        targets: [u.host],
        labels: {
          cluster,
          ...(t.job ? { job: t.job } : {}),
          __metrics_path__: u.pathname || '/metrics',
          __scheme__: u.protocol.replace(':', ''),
          ...t.labels,
        },
      };
    }),
    null,
    2,
  );
}
