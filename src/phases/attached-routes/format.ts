/**
 * The attached-routes numbers in words and a per-step table, for the terminal summary and the
 * Markdown report (numbers straight from the phase data).
 */
import { lpad, pad } from '../../core/text.js';
import type { AttachedRoutesData } from './run.js';

export function attachedRoutesData(
  data: Record<string, unknown> | undefined,
): AttachedRoutesData | undefined {
  const d = data?.attachedRoutes as AttachedRoutesData | undefined;
  return d && Array.isArray(d.steps) ? d : undefined;
}

export function duration(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

const n = (x: number) => x.toLocaleString('en-US');

/** One line per headline number, named as kgateway and gateway-api-bench name them. */
export function headlines(d: AttachedRoutesData): string[] {
  const limit = (op: string) => {
    const t = d.thresholds.find((x) => x.op === op);
    return t ? ` (limit < ${duration(t.limitMs)}${t.source === 'kgateway' ? ", kgateway's" : ''})` : '';
  };
  const out: string[] = [];
  const poll = d.kgatewayPoll;
  if (d.methodology === 'incremental') {
    out.push(
      `setup ${duration(d.setupMs)}${limit('setup')}; kgateway's 1 s poll would report ${duration(poll?.setupMs)}`,
      `teardown ${duration(d.teardownMs)}${limit('teardown')}; kgateway's 100 ms poll would report ${duration(poll?.teardownMs)}`,
      `translation of the ${n(d.routes)}-route baseline ${duration(d.translationMs)} after the last create (kgateway's 5 s poll: ${duration(poll?.translationMs)})`,
    );
    if (d.restartMs !== undefined) out.push(`controller restart ${duration(d.restartMs)}`);
  } else {
    out.push(
      `add-all ${duration(d.addAllMs)}${limit('add-all')} from the last create to attachedRoutes = ${n(d.routes)}`,
      `remove-all ${duration(d.removeAllMs)}${limit('remove-all')} from the first delete to attachedRoutes = 0`,
    );
  }
  const w = d.writes;
  const named =
    w.kgatewayTotalWrites !== undefined
      ? `; kgateway's "Total Writes" (Gateway, setup + teardown): ${n(w.kgatewayTotalWrites)}`
      : w.gatewayApiBenchWrites !== undefined
        ? `; gateway-api-bench's "writes" (Gateway, add-all + remove-all): ${n(w.gatewayApiBenchWrites)}`
        : '';
  out.push(
    `status writes: Gateway ${n(w.gateway)}, HTTPRoute ${n(w.httproute)} (total ${n(w.total)})${named}`,
  );
  if (w.controllerReported)
    out.push(
      `controller reports ${Object.entries(w.controllerReported)
        .map(([k, v]) => `${k} ${n(v)}`)
        .join(', ')} status writes that changed an object`,
    );
  if (w.apiRequests)
    out.push(
      `API server counted ${Object.entries(w.apiRequests)
        .map(([k, v]) => `${k}/status ${n(v)}`)
        .join(', ')} write requests`,
    );
  out.push(
    `routes Accepted ${n(d.routesAccepted)} of ${n(d.routesCreated + (d.methodology === 'incremental' && d.setupMs !== undefined ? 1 : 0))} created`,
  );
  if (d.controllerCpuSeconds !== undefined)
    out.push(
      `controller CPU ${d.controllerCpuSeconds.toFixed(2)} s${d.controllerMaxRssBytes !== undefined ? `, RSS ${(d.controllerMaxRssBytes / 2 ** 20).toFixed(0)} MiB max` : ''}`,
    );
  for (const v of d.violations) out.push(`spec violation: ${v}`);
  return out;
}

export function formatAttachedRoutes(data: Record<string, unknown>): string {
  const d = attachedRoutesData(data);
  if (!d) return '';
  const lines = headlines(d);
  lines.push(
    `${pad('step', 12)}${lpad('took', 11)}${lpad('Gateway writes', 16)}${lpad('route writes', 14)}${lpad('API writes', 12)}${lpad('ctl CPU', 10)}`,
  );
  for (const s of d.steps) {
    const api = s.counters.apiStatusWrites
      ? Object.values(s.counters.apiStatusWrites).reduce((a, b) => a + b, 0)
      : undefined;
    lines.push(
      `${pad(s.name, 12)}${lpad(duration(s.durationMs), 11)}${lpad(n(s.gatewayStatusWrites), 16)}${lpad(n(s.routeStatusWrites), 14)}${lpad(api === undefined ? '–' : n(api), 12)}${lpad(s.counters.controllerCpuSeconds === undefined ? '–' : `${s.counters.controllerCpuSeconds.toFixed(2)} s`, 10)}`,
    );
  }
  return lines.join('\n');
}
