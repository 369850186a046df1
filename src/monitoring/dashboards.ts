/**
 * The Grafana dashboards kubeperf ships (dashboards/*.json, `kubeperf dashboards --out DIR`), built
 * here so their conventions hold by construction (kubernetes-mixin's): stable uids, a `datasource`
 * variable every query uses, a `cluster` variable every selector filters on, `$__rate_interval` in
 * every rate, raw metrics only (no recording rules). Every panel query returns data on the embedded
 * control plane running the default study (dashboards.test.ts executes each one against Prometheus).
 */

export interface PanelTarget {
  expr: string;
  legendFormat: string;
}

interface PanelSpec {
  title: string;
  unit: string;
  targets: PanelTarget[];
  description?: string;
  /** Grid width (of 24); default 12. */
  w?: number;
}

interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  /** Metric whose `cluster` label values fill the cluster variable. */
  clusterMetric: string;
  /** Extra query variables: name → label_values() query. */
  variables?: { name: string; label: string; query: string; multi?: boolean }[];
  rows: RowSpec[];
}

const ds = { type: 'prometheus', uid: '${datasource}' };

function variable(name: string, label: string, query: string, multi = false) {
  return {
    name,
    label,
    type: 'query',
    datasource: ds,
    query: { qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    definition: query,
    refresh: 2,
    sort: 1,
    hide: 0,
    includeAll: multi,
    multi,
    ...(multi ? { allValue: '.+', current: { text: 'All', value: '$__all' } } : { current: {} }),
    options: [],
    regex: '',
  };
}

function build(spec: DashboardSpec): Record<string, unknown> {
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    panels.push({
      type: 'row',
      title: row.title,
      id: id++,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    let x = 0;
    for (const p of row.panels) {
      const w = p.w ?? 12;
      if (x + w > 24) {
        x = 0;
        y += 8;
      }
      panels.push({
        type: 'timeseries',
        title: p.title,
        ...(p.description ? { description: p.description } : {}),
        id: id++,
        datasource: ds,
        gridPos: { h: 8, w, x, y },
        fieldConfig: {
          defaults: { unit: p.unit, custom: { lineWidth: 1, fillOpacity: 10, showPoints: 'never' } },
          overrides: [],
        },
        options: {
          legend: { displayMode: 'table', placement: 'right', showLegend: true },
          tooltip: { mode: 'multi', sort: 'desc' },
        },
        targets: p.targets.map((t, i) => ({
          datasource: ds,
          expr: t.expr,
          legendFormat: t.legendFormat,
          range: true,
          refId: String.fromCharCode(65 + i),
        })),
      });
      x += w;
    }
    y += 8;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: true,
    graphTooltip: 1,
    refresh: '10s',
    schemaVersion: 39,
    time: { from: 'now-30m', to: 'now' },
    timezone: 'utc',
    annotations: { list: [] },
    links: [],
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: { text: 'default', value: 'default' },
          hide: 0,
          options: [],
          refresh: 1,
          regex: '',
        },
        variable('cluster', 'cluster', `label_values(${spec.clusterMetric}, cluster)`),
        ...(spec.variables ?? []).map((v) => variable(v.name, v.label, v.query, v.multi)),
      ],
    },
    panels,
  };
}

const C = 'cluster="$cluster"';
const RI = '$__rate_interval';

const run: DashboardSpec = {
  uid: 'kubeperf-run',
  title: 'kubeperf / Run',
  description:
    'The load kubeperf sends and what it sees (its --metrics-port exporter), beside the API server’s view.',
  tags: ['kubeperf', 'kubernetes'],
  clusterMetric: 'kubeperf_run_info',
  variables: [
    {
      name: 'phase',
      label: 'phase',
      query: 'label_values(kubeperf_phase_running{cluster="$cluster"}, phase)',
      multi: true,
    },
  ],
  rows: [
    {
      title: 'Load',
      panels: [
        {
          title: 'Successful requests/s by op',
          unit: 'reqps',
          targets: [
            {
              expr: `sum by (phase, op) (rate(kubeperf_requests_total{${C}, phase=~"$phase", code="2xx"}[${RI}]))`,
              legendFormat: '{{phase}} {{op}}',
            },
          ],
        },
        {
          title: 'Error ratio by op',
          unit: 'percentunit',
          description: 'Share of finished requests that were not 2xx (HTTP errors and connection errors).',
          targets: [
            {
              expr: `1 - sum by (phase, op) (rate(kubeperf_requests_total{${C}, phase=~"$phase", code="2xx"}[${RI}])) / sum by (phase, op) (rate(kubeperf_requests_total{${C}, phase=~"$phase"}[${RI}]))`,
              legendFormat: '{{phase}} {{op}}',
            },
          ],
        },
        {
          title: 'Requests in flight',
          unit: 'short',
          targets: [{ expr: `sum(kubeperf_requests_in_flight{${C}})`, legendFormat: 'in flight' }],
          w: 8,
        },
        {
          title: 'Retries/s by op',
          unit: 'reqps',
          targets: [
            {
              expr: `sum by (phase, op) (rate(kubeperf_request_retries_total{${C}, phase=~"$phase"}[${RI}]))`,
              legendFormat: '{{phase}} {{op}}',
            },
          ],
          w: 8,
        },
        {
          title: 'Phase progress',
          unit: 'percentunit',
          targets: [
            {
              expr: `max by (phase) (kubeperf_phase_progress_ratio{${C}, phase=~"$phase"})`,
              legendFormat: '{{phase}}',
            },
          ],
          w: 8,
        },
      ],
    },
    {
      title: 'Latency: client vs server',
      panels: [
        {
          title: 'Client p99 by op (from intended start)',
          unit: 's',
          targets: [
            {
              expr: `histogram_quantile(0.99, sum by (op, le) (rate(kubeperf_request_duration_seconds_bucket{${C}, phase=~"$phase"}[${RI}])))`,
              legendFormat: 'client {{op}}',
            },
          ],
        },
        {
          title: 'Server p99 by verb (apiserver_request_duration_seconds)',
          unit: 's',
          description:
            'The Kubernetes API latency SLI as the API server measures it; the gap to the client p99 is network, client queueing and the client itself.',
          targets: [
            {
              expr: `histogram_quantile(0.99, sum by (verb, le) (rate(apiserver_request_duration_seconds_bucket{${C}, verb!~"WATCH|CONNECT"}[${RI}])))`,
              legendFormat: 'server {{verb}}',
            },
          ],
        },
        {
          title: 'Client p50 by op',
          unit: 's',
          targets: [
            {
              expr: `histogram_quantile(0.5, sum by (op, le) (rate(kubeperf_request_duration_seconds_bucket{${C}, phase=~"$phase"}[${RI}])))`,
              legendFormat: 'client {{op}}',
            },
          ],
        },
        {
          title: 'Server requests/s by verb',
          unit: 'reqps',
          targets: [
            {
              expr: `sum by (verb) (rate(apiserver_request_total{${C}}[${RI}]))`,
              legendFormat: '{{verb}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Readiness',
      panels: [
        {
          title: 'Objects Ready (watch), per second',
          unit: 'short',
          targets: [
            {
              expr: `sum by (phase) (rate(kubeperf_objects_ready_total{${C}, phase=~"$phase"}[${RI}]))`,
              legendFormat: '{{phase}} ready',
            },
            {
              expr: `sum by (phase) (rate(kubeperf_objects_not_ready_total{${C}, phase=~"$phase"}[${RI}]))`,
              legendFormat: '{{phase}} not ready',
            },
          ],
        },
        {
          title: 'Time to Ready p99',
          unit: 's',
          targets: [
            {
              expr: `histogram_quantile(0.99, sum by (phase, le) (rate(kubeperf_readiness_seconds_bucket{${C}, phase=~"$phase"}[${RI}])))`,
              legendFormat: '{{phase}}',
            },
          ],
        },
      ],
    },
  ],
};

const apiserver: DashboardSpec = {
  uid: 'kubeperf-apiserver',
  title: 'kubeperf / API server and storage',
  description:
    'kube-apiserver from its raw /metrics (no recording rules): requests, the latency SLI, inflight, objects in storage, and control-plane containers from cAdvisor.',
  tags: ['kubeperf', 'kubernetes', 'apiserver'],
  clusterMetric: 'apiserver_request_total',
  variables: [
    { name: 'job', label: 'job', query: 'label_values(apiserver_request_total{cluster="$cluster"}, job)' },
  ],
  rows: [
    {
      title: 'Requests',
      panels: [
        {
          title: 'Requests/s by verb',
          unit: 'reqps',
          targets: [
            {
              expr: `sum by (verb) (rate(apiserver_request_total{${C}, job="$job"}[${RI}]))`,
              legendFormat: '{{verb}}',
            },
          ],
        },
        {
          title: 'Requests/s by code',
          unit: 'reqps',
          targets: [
            {
              expr: `sum by (code) (rate(apiserver_request_total{${C}, job="$job"}[${RI}]))`,
              legendFormat: '{{code}}',
            },
          ],
        },
        {
          title: 'Error ratio (5xx and 429)',
          unit: 'percentunit',
          targets: [
            {
              expr: `1 - sum(rate(apiserver_request_total{${C}, job="$job", code!~"5..|429"}[${RI}])) / sum(rate(apiserver_request_total{${C}, job="$job"}[${RI}]))`,
              legendFormat: 'errors',
            },
          ],
        },
        {
          title: 'Requests/s by resource (top 10)',
          unit: 'reqps',
          targets: [
            {
              expr: `topk(10, sum by (resource) (rate(apiserver_request_total{${C}, job="$job", resource!=""}[${RI}])))`,
              legendFormat: '{{resource}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Latency (SLI: apiserver_request_duration_seconds, WATCH and CONNECT excluded)',
      panels: [
        {
          title: 'p99 by verb',
          unit: 's',
          targets: [
            {
              expr: `histogram_quantile(0.99, sum by (verb, le) (rate(apiserver_request_duration_seconds_bucket{${C}, job="$job", verb!~"WATCH|CONNECT"}[${RI}])))`,
              legendFormat: '{{verb}}',
            },
          ],
        },
        {
          title: 'p99 by scope (resource ≤ 1 s, namespace/cluster ≤ 30 s)',
          unit: 's',
          targets: [
            {
              expr: `histogram_quantile(0.99, sum by (scope, le) (rate(apiserver_request_duration_seconds_bucket{${C}, job="$job", verb!~"WATCH|CONNECT", scope!=""}[${RI}])))`,
              legendFormat: '{{scope}}',
            },
          ],
        },
        {
          title: 'p99 by verb and resource',
          unit: 's',
          w: 24,
          targets: [
            {
              expr: `histogram_quantile(0.99, sum by (verb, resource, le) (rate(apiserver_request_duration_seconds_bucket{${C}, job="$job", verb!~"WATCH|CONNECT", resource!=""}[${RI}])))`,
              legendFormat: '{{verb}} {{resource}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Concurrency',
      panels: [
        {
          title: 'Inflight requests (max in the last second)',
          unit: 'short',
          targets: [
            {
              expr: `sum by (request_kind) (apiserver_current_inflight_requests{${C}, job="$job"})`,
              legendFormat: '{{request_kind}}',
            },
          ],
        },
        {
          title: 'Mean request duration × rate (requests in progress)',
          unit: 'short',
          targets: [
            {
              expr: `sum(rate(apiserver_request_duration_seconds_sum{${C}, job="$job", verb!~"WATCH|CONNECT"}[${RI}]))`,
              legendFormat: 'in progress',
            },
          ],
        },
      ],
    },
    {
      title: 'Storage (etcd contents as the API server reports them)',
      panels: [
        {
          title: 'Objects in storage by resource (top 10)',
          unit: 'short',
          targets: [
            {
              expr: `topk(10, max by (resource) (apiserver_storage_objects{${C}, job="$job"}))`,
              legendFormat: '{{resource}}',
            },
          ],
        },
        {
          title: 'Objects in storage, total',
          unit: 'short',
          targets: [{ expr: `sum(apiserver_storage_objects{${C}, job="$job"})`, legendFormat: 'objects' }],
        },
      ],
    },
    {
      title: 'Control-plane containers (cAdvisor)',
      panels: [
        {
          title: 'CPU cores by pod',
          unit: 'short',
          targets: [
            {
              expr: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${C}, container!="", container!="POD"}[${RI}]))`,
              legendFormat: '{{namespace}}/{{pod}}',
            },
          ],
        },
        {
          title: 'Working-set memory by pod',
          unit: 'bytes',
          targets: [
            {
              expr: `sum by (namespace, pod) (container_memory_working_set_bytes{${C}, container!="", container!="POD"})`,
              legendFormat: '{{namespace}}/{{pod}}',
            },
          ],
        },
        {
          title: 'API server process CPU cores',
          unit: 'short',
          targets: [
            {
              expr: `sum by (instance) (rate(process_cpu_seconds_total{${C}, job="$job"}[${RI}]))`,
              legendFormat: '{{instance}}',
            },
          ],
        },
        {
          title: 'API server resident memory',
          unit: 'bytes',
          targets: [
            {
              expr: `sum by (instance) (process_resident_memory_bytes{${C}, job="$job"})`,
              legendFormat: '{{instance}}',
            },
          ],
        },
      ],
    },
  ],
};

const controllers: DashboardSpec = {
  uid: 'kubeperf-controllers',
  title: 'kubeperf / Controllers',
  description:
    'controller-runtime reconciles and client-go workqueues: kro, any operator, kubeperf’s simulated controllers and the embedded control plane’s own.',
  tags: ['kubeperf', 'kubernetes', 'controllers'],
  clusterMetric: 'controller_runtime_reconcile_total',
  variables: [
    {
      name: 'controller',
      label: 'controller',
      query: 'label_values(controller_runtime_reconcile_total{cluster="$cluster"}, controller)',
      multi: true,
    },
  ],
  rows: [
    {
      title: 'Reconciles',
      panels: [
        {
          title: 'Reconciles/s by controller and result',
          unit: 'ops',
          targets: [
            {
              expr: `sum by (controller, result) (rate(controller_runtime_reconcile_total{${C}, controller=~"$controller"}[${RI}]))`,
              legendFormat: '{{controller}} {{result}}',
            },
          ],
        },
        {
          title: 'Reconcile errors/s',
          unit: 'ops',
          targets: [
            {
              expr: `sum by (controller) (rate(controller_runtime_reconcile_errors_total{${C}, controller=~"$controller"}[${RI}]))`,
              legendFormat: '{{controller}}',
            },
          ],
        },
        {
          title: 'Reconcile time p99',
          unit: 's',
          targets: [
            {
              expr: `histogram_quantile(0.99, sum by (controller, le) (rate(controller_runtime_reconcile_time_seconds_bucket{${C}, controller=~"$controller"}[${RI}])))`,
              legendFormat: '{{controller}}',
            },
          ],
        },
        {
          title: 'Reconcile time p50',
          unit: 's',
          targets: [
            {
              expr: `histogram_quantile(0.5, sum by (controller, le) (rate(controller_runtime_reconcile_time_seconds_bucket{${C}, controller=~"$controller"}[${RI}])))`,
              legendFormat: '{{controller}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Work queues',
      panels: [
        {
          title: 'Depth',
          unit: 'short',
          targets: [
            { expr: `sum by (name) (workqueue_depth{${C}, name=~"$controller"})`, legendFormat: '{{name}}' },
          ],
          w: 8,
        },
        {
          title: 'Adds/s',
          unit: 'ops',
          targets: [
            {
              expr: `sum by (name) (rate(workqueue_adds_total{${C}, name=~"$controller"}[${RI}]))`,
              legendFormat: '{{name}}',
            },
          ],
          w: 8,
        },
        {
          title: 'Retries/s',
          unit: 'ops',
          targets: [
            {
              expr: `sum by (name) (rate(workqueue_retries_total{${C}, name=~"$controller"}[${RI}]))`,
              legendFormat: '{{name}}',
            },
          ],
          w: 8,
        },
        {
          title: 'Time in queue p99',
          unit: 's',
          targets: [
            {
              expr: `histogram_quantile(0.99, sum by (name, le) (rate(workqueue_queue_duration_seconds_bucket{${C}, name=~"$controller"}[${RI}])))`,
              legendFormat: '{{name}}',
            },
          ],
        },
        {
          title: 'Work duration p99',
          unit: 's',
          targets: [
            {
              expr: `histogram_quantile(0.99, sum by (name, le) (rate(workqueue_work_duration_seconds_bucket{${C}, name=~"$controller"}[${RI}])))`,
              legendFormat: '{{name}}',
            },
          ],
        },
      ],
    },
  ],
};

/** File name → dashboard JSON model. */
export function dashboards(): Record<string, Record<string, unknown>> {
  return {
    'kubeperf-run.json': build(run),
    'kubeperf-apiserver.json': build(apiserver),
    'kubeperf-controllers.json': build(controllers),
  };
}

/** Every panel query of a dashboard model, with its panel title. */
export function panelQueries(d: Record<string, unknown>): { panel: string; expr: string }[] {
  return (d.panels as { title: string; targets?: { expr: string }[] }[]).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
  );
}
