/**
 * `promQuery`: named PromQL queries against a Prometheus-compatible URL (clusterloader2's
 * GenericPrometheusQuery, kube-burner's metric profiles): instant at the phase's start and end (after
 * an optional stabilise wait) and/or a range over the phase. A kube-burner metric profile (a YAML list
 * of `{query, metricName, instant, captureStart}`) is accepted as a file; its `{{.elapsed}}` becomes
 * the phase's duration, and its queries follow kube-burner's rules (range by default, `instant: true`
 * at the end, `captureStart` also at the start).
 *
 * Every query is evaluated at an explicit timestamp after the phase, so nothing is queried while the
 * phase runs. A query the backend rejects is found by the preflight before any load (exit 2, naming the
 * measurement and the query); an unreachable backend leaves the query missing, never zero.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DurationString, parseDuration } from '../config/duration.js';
import {
  instantQuery,
  promDuration,
  PromQueryError,
  rangeQuery,
  type InstantSample,
  type RangeSeries,
} from '../metrics/promql-client.js';
import { chooseEndpoint, describeQueryError, endpointShape, NO_ENDPOINT, settle } from './prom-endpoint.js';
import { missing, type Measurement, type MeasurementEnv } from './types.js';

const QuerySchema = z.strictObject({
  name: z.string().min(1).describe('Name of the result.'),
  query: z.string().min(1).describe('PromQL; {{.elapsed}} is replaced by the phase duration.'),
  unit: z.string().optional().describe('Unit of the values, shown in reports (cores, bytes, s, /s…).'),
  instant: z.boolean().default(true).describe('Evaluate at the phase start and end.'),
  range: z.boolean().default(false).describe('Also evaluate as a range over the phase.'),
});

const Options = z
  .strictObject({
    ...endpointShape,
    queries: z.array(QuerySchema).min(1).optional(),
    profile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A kube-burner metric profile file (list of {query, metricName, instant, captureStart}), relative to the study.',
      ),
    step: DurationString.optional().describe(
      'Step of range queries (default the scrape interval, at most 200 points).',
    ),
  })
  .refine((o) => o.queries || o.profile, { message: 'give queries, a profile file, or both' });
type Options = z.output<typeof Options>;

/** One query as evaluated: which instants, and whether a range. */
export interface ResolvedQuery {
  name: string;
  query: string;
  unit?: string;
  atStart: boolean;
  atEnd: boolean;
  range: boolean;
}

export interface PromQueryResult {
  name: string;
  query: string;
  unit?: string;
  start?: InstantSample[];
  end?: InstantSample[];
  range?: { stepSeconds: number; series: RangeSeries[] };
  /** Why this query has no (or partial) values. */
  error?: string;
}

export interface PromQueryData {
  url: string;
  startTime: number;
  endTime: number;
  queries: PromQueryResult[];
}

const ProfileSchema = z.array(
  z.looseObject({
    query: z.string().min(1),
    metricName: z.string().min(1),
    instant: z.boolean().optional(),
    captureStart: z.boolean().optional(),
  }),
);

function loadProfile(file: string): ResolvedQuery[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`metric profile ${file}: ${(e as Error).message}`);
  }
  const r = ProfileSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(
      `metric profile ${file}: [${i.path.join('.')}]: ${i.message} (expected a list of {query, metricName, instant})`,
    );
  }
  return r.data.map((q) => ({
    name: q.metricName,
    query: q.query,
    atStart: !!q.captureStart,
    atEnd: !!q.instant,
    range: !q.instant,
  }));
}

function resolveQueries(o: Options, baseDir: string): ResolvedQuery[] {
  const own = (o.queries ?? []).map((q) => ({
    name: q.name,
    query: q.query,
    unit: q.unit,
    atStart: q.instant,
    atEnd: q.instant,
    range: q.range,
  }));
  return [...own, ...(o.profile ? loadProfile(resolve(baseDir, o.profile)) : [])];
}

/** kube-burner's template variable: `{{.elapsed}}` / `{{ .elapsed }}` → the phase duration. */
export function withElapsed(query: string, elapsedMs: number): string {
  return query.replace(/\{\{\s*\.elapsed\s*\}\}/g, promDuration(elapsedMs));
}

export const promQuery: Measurement<Options> = {
  type: 'promQuery',
  description:
    'Named PromQL queries against a Prometheus-compatible URL: instant at the phase boundaries and/or a range over the phase; kube-burner metric profiles accepted.',
  options: Options,
  async preflight(o, env: MeasurementEnv, name) {
    let queries: ResolvedQuery[];
    try {
      queries = resolveQueries(o, env.baseDir);
    } catch (e) {
      return [`measurement ${name}: ${(e as Error).message}`];
    }
    const ep = chooseEndpoint(o, env);
    if (!ep) return [];
    const problems: string[] = [];
    for (const q of queries) {
      try {
        // Evaluated at a time with no data: the backend still parses the query, and VictoriaMetrics does
        // not cache an empty series lookup for the run's own time range (it would hide series created later).
        await instantQuery(ep, withElapsed(q.query, 60_000), 86_400);
      } catch (e) {
        if (e instanceof PromQueryError && e.kind === 'bad_query') {
          problems.push(`measurement ${name}, query "${q.name}" (${q.query}): ${e.message}`);
        } else return problems; // unreachable: a warning at gather time, not bad input
      }
    }
    return problems;
  },
  async start(o, ctx) {
    const startedAtMs = ctx.startedAtMs;
    return {
      async gather(endedAtMs) {
        const ep = chooseEndpoint(o, ctx);
        if (!ep) return missing(NO_ENDPOINT);
        const queries = resolveQueries(o, ctx.baseDir);
        const endMs = await settle(endedAtMs, o, ep, ctx.signal);
        // kube-burner's .elapsed: from the phase start to the instant the end queries are evaluated at.
        const elapsedMs = Math.max(1, endMs - startedAtMs);
        const stepSec = o.step
          ? parseDuration(o.step)! / 1000
          : Math.max((ep.scrapeIntervalMs ?? 15_000) / 1000, elapsedMs / 1000 / 200);
        const results: PromQueryResult[] = [];
        let failed = 0;
        let unreachable: string | undefined;
        for (const q of queries) {
          const query = withElapsed(q.query, elapsedMs);
          const r: PromQueryResult = { name: q.name, query, ...(q.unit ? { unit: q.unit } : {}) };
          try {
            if (unreachable) throw new Error(unreachable);
            if (q.atStart) r.start = await instantQuery(ep, query, startedAtMs / 1000);
            if (q.atEnd) r.end = await instantQuery(ep, query, endMs / 1000);
            if (q.range) {
              r.range = {
                stepSeconds: stepSec,
                series: await rangeQuery(ep, query, startedAtMs / 1000, endMs / 1000, stepSec),
              };
            }
          } catch (e) {
            failed++;
            r.error = describeQueryError(e, `query "${q.name}"`);
            if (e instanceof PromQueryError && e.kind === 'unreachable') unreachable = e.message;
          }
          results.push(r);
        }
        const data: PromQueryData = {
          url: ep.url,
          startTime: startedAtMs / 1000,
          endTime: endMs / 1000,
          queries: results,
        };
        if (failed === results.length) {
          return missing(unreachable ?? results[0]?.error ?? 'no query succeeded', { data: { ...data } });
        }
        return failed
          ? { status: 'partial', message: `${failed} of ${results.length} queries failed`, data: { ...data } }
          : { status: 'ok', data: { ...data } };
      },
    };
  },
};
