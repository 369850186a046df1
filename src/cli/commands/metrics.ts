/**
 * `kubeperf metrics up`: the local metrics stack on its own (Debian's prometheus or victoria-metrics on
 * loopback), scraping a cluster's API server and container metrics plus any --scrape targets, until
 * Ctrl-C. `kubeperf dashboards --out DIR`: writes the shipped Grafana dashboards.
 */
import { Command, Option } from 'commander';
import { parseDuration } from '../../config/duration.js';
import { InputError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { collect, printHuman } from '../io.js';
import { serveUntilSignal } from '../serve.js';

interface UpFlags {
  backend: 'prometheus' | 'victoriametrics';
  kubeconfig?: string;
  context?: string;
  port: string;
  scrapeInterval: string;
  scrape?: string[];
}

async function up(flags: UpFlags): Promise<void> {
  const { startLocalStack, probeCadvisorPath } = await import('../../monitoring/stack.js');
  if (!/^\d+$/.test(flags.port) || Number(flags.port) > 65535) {
    throw new InputError(`--port: "${flags.port}" is not a port number (0-65535; 0 picks a free one)`);
  }
  const intervalMs = parseDuration(flags.scrapeInterval);
  if (intervalMs === undefined || intervalMs < 100) {
    throw new InputError(`--scrape-interval: "${flags.scrapeInterval}" is not a duration of at least 100ms`, {
      hint: 'e.g. --scrape-interval 1s',
    });
  }
  const extra = (flags.scrape ?? []).map((u) => {
    try {
      const url = new URL(u.includes('://') ? u : `http://${u}`);
      return { url: url.pathname === '/' ? `${url.origin}/metrics` : url.href };
    } catch {
      throw new InputError(`--scrape: "${u}" is not a URL`, {
        hint: 'e.g. --scrape http://127.0.0.1:9100/metrics',
      });
    }
  });
  if (!flags.kubeconfig && !flags.context && !extra.length) {
    throw new InputError('nothing to scrape: give --kubeconfig (and/or --context) or --scrape URL', {
      hint: 'e.g. kubeperf cluster start --tls --kubeconfig-out kc, then kubeperf metrics up --kubeconfig kc',
    });
  }
  const log = createLogger();
  let target;
  let cadvisorPath: string | undefined;
  if (flags.kubeconfig || flags.context) {
    const { resolveKubeconfigTarget } = await import('../../kube/target.js');
    const { connect } = await import('../../kube/connect.js');
    target = await resolveKubeconfigTarget({ kubeconfig: flags.kubeconfig, context: flags.context });
    const client = await connect(target, { connections: 1 });
    cadvisorPath = await probeCadvisorPath(async (path, o) => {
      const r = await client.rest.request({ method: 'GET', path, timeoutMs: o?.timeoutMs });
      return { status: r.status, body: r.body };
    });
    await client.close();
  }
  const stack = await startLocalStack({
    backend: flags.backend,
    port: Number(flags.port),
    scrapeIntervalMs: intervalMs,
    target: target ? { target, cadvisorPath } : undefined,
    extraTargets: extra,
    log,
  });
  printHuman(
    [
      `${flags.backend}: ${stack.endpoint.url} (pid ${stack.pid}, scrape every ${flags.scrapeInterval})`,
      ...(target
        ? [`scraping:   ${target.server} /metrics and ${cadvisorPath ?? 'node cAdvisor via the API server'}`]
        : []),
      ...extra.map((t) => `scraping:   ${t.url}`),
      `studies:    metrics: {url: ${stack.endpoint.url}}`,
      '(Ctrl-C to stop; its data is removed)',
    ].join('\n'),
  );
  await serveUntilSignal(() => stack.stop());
}

export function metricsCommand(): Command {
  const metrics = new Command('metrics').description('A local Prometheus or VictoriaMetrics for a cluster');
  metrics
    .command('up')
    .description(
      'Start Debian’s prometheus or victoria-metrics on loopback scraping a cluster; serve until SIGINT',
    )
    .addOption(
      new Option('--backend <name>', 'which backend')
        .choices(['prometheus', 'victoriametrics'])
        .default('prometheus'),
    )
    .option('--kubeconfig <path>', 'scrape the API server and container metrics of this cluster')
    .option('--context <name>', 'kubeconfig context')
    .option('--port <n>', 'port to listen on (0 = a free port)', '0')
    .option('--scrape-interval <duration>', 'scrape interval', '1s')
    .addOption(
      new Option(
        '--scrape <url>',
        'also scrape this /metrics URL (kubeperf run --metrics-port, a controller); repeatable',
      ).argParser(collect),
    )
    .action(up);
  return metrics;
}

export function dashboardsCommand(): Command {
  return new Command('dashboards')
    .description('Write the Grafana dashboards (run, API server, controllers) as JSON files')
    .requiredOption('--out <dir>', 'directory to write them to')
    .action(async (flags: { out: string }) => {
      const { writeDashboards } = await import('../../monitoring/write-dashboards.js');
      printHuman(writeDashboards(flags.out).join('\n'));
    });
}
