/**
 * The kro phase's numbers in words for the terminal summary: per round, what one instance cost and
 * which shaper limited the throughput (numbers straight from the phase data).
 */
import type { RoundResult } from './round.js';

const n = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatKroRounds(data: Record<string, unknown> | undefined): string {
  const k = data?.kro as { controllerDescription?: string; rounds?: RoundResult[] } | undefined;
  if (!k || !Array.isArray(k.rounds)) return '';
  const out: string[] = [];
  if (k.controllerDescription) out.push(`controller: ${k.controllerDescription}`);
  for (const r of k.rounds) {
    const head = k.rounds.length > 1 ? `round ${r.index + 1}: ` : '';
    const cost = [
      r.childrenPerInstance !== undefined ? `${n(r.childrenPerInstance, 1)} children` : undefined,
      r.apiServer ? `${n(r.apiServer.perInstance, 1)} API requests` : undefined,
      r.controller ? `${n(r.controller.reconcilesPerInstance, 2)} reconciles` : undefined,
      `${n(r.instanceEventsPerInstance, 1)} watch events`,
    ].filter(Boolean);
    out.push(
      `${head}${n(r.active)}/${n(r.instances)} ${r.rgd.kind} ACTIVE in ${n(r.windowS, 1)} s (${r.rgd.resources} resources, depth ${r.rgd.depth}); per instance: ${cost.join(', ')}`,
    );
    if (r.shaper.text) out.push(`${head}${r.shaper.text}`);
    for (const w of r.invalidReasons) out.push(`${head}invalid: ${w}`);
  }
  return out.join('\n');
}
