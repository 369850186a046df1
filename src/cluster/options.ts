/**
 * Options of the embedded control plane: the study file's top-level `cluster:` block and the
 * `kubeperf cluster start` flags map onto the same ClusterOptions.
 */
import { z } from 'zod';
import { parseDuration } from '../config/duration.js';
import { InputError } from '../core/errors.js';
import { ApiserverContainerSchema } from './http/cadvisor.js';
import { ServiceCidr } from './builtins/service-cidr.js';

/** Verbs a knob can target; `*` is every verb without its own entry. */
export const knobVerbs = [
  '*',
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'apply',
  'delete',
  'deletecollection',
] as const;
export type KnobVerb = (typeof knobVerbs)[number];

export type LatencyModel =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'lognormal'; p50Ms: number; p99Ms: number };

export interface FaultSpec {
  code: number;
  rate: number;
}

function durationPart(text: string, what: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`"${text}" is not a duration for ${what} (e.g. 20ms, 1.5s)`);
  return ms;
}

/** `fixed:20ms`, `uniform:1ms:5ms`, `lognormal:2ms:40ms` (p50:p99). */
export function parseLatencyModel(text: string): LatencyModel {
  const [kind, a, b, ...rest] = text.trim().split(':');
  if (rest.length > 0) throw new Error(`too many parts in "${text}"`);
  if (kind === 'fixed' && a !== undefined && b === undefined) return { kind, ms: durationPart(a, 'fixed') };
  if (kind === 'uniform' && a !== undefined && b !== undefined) {
    const minMs = durationPart(a, 'uniform min');
    const maxMs = durationPart(b, 'uniform max');
    if (maxMs < minMs) throw new Error(`uniform max ${b} is below min ${a}`);
    return { kind, minMs, maxMs };
  }
  if (kind === 'lognormal' && a !== undefined && b !== undefined) {
    const p50Ms = durationPart(a, 'lognormal p50');
    const p99Ms = durationPart(b, 'lognormal p99');
    if (p50Ms <= 0 || p99Ms < p50Ms) throw new Error(`lognormal needs 0 < p50 <= p99, got "${text}"`);
    return { kind, p50Ms, p99Ms };
  }
  throw new Error(`"${text}" is not a latency model: use fixed:D, uniform:MIN:MAX or lognormal:P50:P99`);
}

/** `503:0.05` = answer 5% of requests with HTTP 503. */
export function parseFault(text: string): FaultSpec {
  const m = /^(\d{3}):(\d*\.?\d+)$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a fault: use CODE:RATE, e.g. 503:0.05`);
  const code = Number(m[1]);
  const rate = Number(m[2]);
  if (code < 400 || code > 599) throw new Error(`fault code ${code} must be a 4xx or 5xx status`);
  if (!(rate >= 0 && rate <= 1)) throw new Error(`fault rate ${m[2]} must be between 0 and 1`);
  return { code, rate };
}

const LatencyModelSchema = z.union([
  z.string().transform((s, ctx) => {
    try {
      return parseLatencyModel(s);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  }),
  z.strictObject({ kind: z.literal('fixed'), ms: z.number().nonnegative() }),
  z.strictObject({
    kind: z.literal('uniform'),
    minMs: z.number().nonnegative(),
    maxMs: z.number().nonnegative(),
  }),
  z.strictObject({
    kind: z.literal('lognormal'),
    p50Ms: z.number().positive(),
    p99Ms: z.number().positive(),
  }),
]);

const FaultSchema = z.union([
  z.string().transform((s, ctx) => {
    try {
      return parseFault(s);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  }),
  z.strictObject({ code: z.number().int().min(400).max(599), rate: z.number().min(0).max(1) }),
]);

const DurationMsSchema = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration (e.g. 500ms, 2s)` });
    return z.NEVER;
  }
  return ms;
});

const VerbSchema = z.enum(knobVerbs);

function serviceCidrProblem(v: string): string | undefined {
  try {
    new ServiceCidr(v);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Delay distribution of one simulated lifecycle step (pods Pending→Running→Ready, …). */
const StepDelaySchema = LatencyModelSchema;

const model = 'fixed:D, uniform:MIN:MAX or lognormal:P50:P99 (e.g. lognormal:2ms:40ms)';

export const ClusterOptionsSchema = z.strictObject({
  latency: z
    .partialRecord(VerbSchema, LatencyModelSchema)
    .optional()
    .describe(`Added latency per verb (* = verbs without their own entry): ${model}`),
  faults: z
    .partialRecord(VerbSchema, z.union([FaultSchema, z.array(FaultSchema)]))
    .optional()
    .describe('Injected errors per verb as CODE:RATE (e.g. 503:0.05), or a list of them'),
  maxInflight: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('Max read-only requests in flight; beyond it 429 + Retry-After (0 = unlimited)'),
  maxMutatingInflight: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('Max mutating requests in flight; beyond it 429 + Retry-After (0 = unlimited)'),
  dropWatchesEvery: DurationMsSchema.optional().describe(
    'Close every open watch at this interval (e.g. 30s)',
  ),
  resetRate: z.number().min(0).max(1).default(0).describe('Fraction of requests whose connection is reset'),
  nodes: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('Simulated Ready nodes (pods stay Pending without)'),
  pods: z
    .strictObject({
      scheduleDelay: StepDelaySchema.optional().describe(`Delay before a pod is bound to a node: ${model}`),
      runningDelay: StepDelaySchema.optional().describe(`Delay from bound to Running: ${model}`),
      readyDelay: StepDelaySchema.optional().describe(`Delay from Running to Ready: ${model}`),
      terminateDelay: StepDelaySchema.optional().describe(
        `Delay from a graceful delete to removal: ${model}`,
      ),
    })
    .optional()
    .describe('Simulated pod lifecycle (defaults 5ms, 100ms, 50ms, 50ms)'),
  deployments: z
    .strictObject({ syncDelay: StepDelaySchema.optional().describe(`Controller delay per sync: ${model}`) })
    .optional()
    .describe('Simulated deployment and replica set controllers'),
  jobs: z
    .strictObject({
      runDuration: StepDelaySchema.optional().describe(
        `How long a Job's pod runs before it succeeds (default 1s): ${model}`,
      ),
    })
    .optional()
    .describe('Simulated job controller'),
  events: z
    .boolean()
    .default(true)
    .describe(
      'Simulated components record Events (scheduler, kubelet, controllers), kept 1h like --event-ttl',
    ),
  serviceCIDR: z
    .string()
    .refine((v) => serviceCidrProblem(v) === undefined, { error: (i) => serviceCidrProblem(String(i.input)) })
    .optional()
    .describe('IPv4 CIDR Service ClusterIPs are allocated from (default 10.96.0.0/16)'),
  watchCacheSize: z
    .number()
    .int()
    .positive()
    .default(100_000)
    .describe('Events kept for watch resume and consistent paging; older resourceVersions get 410'),
  bookmarkInterval: DurationMsSchema.optional().describe(
    'Interval of watch bookmarks (default 60s, like the real server)',
  ),
  token: z.string().min(1).optional().describe('Fixed bearer token (default: random per start)'),
  apiserverContainer: ApiserverContainerSchema.optional(),
  scopes: z
    .array(
      z.strictObject({
        prefix: z
          .string()
          .regex(
            /^\/[^{}]+\/\{name\}(\/[^{}]*)?$/,
            'must be a path with a fixed first segment and one {name} segment, e.g. /clusters/{name}',
          )
          .describe('Path prefix of each scoped control plane, with one {name} segment'),
        namespaces: z
          .array(z.string().min(1))
          .default(['default'])
          .describe('Namespaces a new scope starts with (default: default)'),
      }),
    )
    .optional()
    .describe(
      'Path-scoped control planes (kcp/vcluster style): each name under the prefix is an isolated store, created on first use',
    ),
  milo: z
    .boolean()
    .default(false)
    .describe(
      "Serve Milo's resourcemanager.miloapis.com Organizations and Projects with organization- and project-scoped control planes (docs/milo.md)",
    ),
});

export type ClusterOptionsInput = z.input<typeof ClusterOptionsSchema>;
export type ClusterOptions = z.output<typeof ClusterOptionsSchema>;

export interface ClusterFlags {
  nodes?: string;
  latency?: string[];
  fault?: string[];
  maxInflight?: string;
  maxMutatingInflight?: string;
  dropWatchesEvery?: string;
}

function flagInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) {
    throw new InputError(`${flag}: "${value}" is not a non-negative integer`, { hint: `e.g. ${flag} 100` });
  }
  return Number(value);
}

function splitVerb(flag: string, text: string): [KnobVerb, string] {
  const eq = text.indexOf('=');
  const verb = eq > 0 ? text.slice(0, eq).trim().toLowerCase() : '';
  if (!(knobVerbs as readonly string[]).includes(verb)) {
    throw new InputError(`${flag}: "${text}" must be VERB=VALUE with VERB one of ${knobVerbs.join(', ')}`);
  }
  return [verb as KnobVerb, text.slice(eq + 1)];
}

/** Parses the CLI strings into ClusterOptions; every problem is an InputError naming the flag. */
export function clusterOptionsFromFlags(flags: ClusterFlags): ClusterOptions {
  const latency: Partial<Record<KnobVerb, LatencyModel>> = {};
  for (const text of flags.latency ?? []) {
    const [verb, model] = splitVerb('--latency', text);
    try {
      latency[verb] = parseLatencyModel(model);
    } catch (e) {
      throw new InputError(`--latency ${text}: ${(e as Error).message}`, {
        hint: 'e.g. --latency create=fixed:20ms',
      });
    }
  }
  const faults: Partial<Record<KnobVerb, FaultSpec[]>> = {};
  for (const text of flags.fault ?? []) {
    const [verb, spec] = splitVerb('--fault', text);
    try {
      (faults[verb] ??= []).push(parseFault(spec));
    } catch (e) {
      throw new InputError(`--fault ${text}: ${(e as Error).message}`, { hint: 'e.g. --fault get=503:0.05' });
    }
  }
  let dropWatchesEvery: number | undefined;
  if (flags.dropWatchesEvery !== undefined) {
    dropWatchesEvery = parseDuration(flags.dropWatchesEvery);
    if (dropWatchesEvery === undefined || dropWatchesEvery <= 0) {
      throw new InputError(`--drop-watches-every: "${flags.dropWatchesEvery}" is not a positive duration`, {
        hint: 'e.g. --drop-watches-every 30s',
      });
    }
  }
  return ClusterOptionsSchema.parse({
    latency: Object.keys(latency).length ? latency : undefined,
    faults: Object.keys(faults).length ? faults : undefined,
    nodes: flagInt('--nodes', flags.nodes),
    maxInflight: flagInt('--max-inflight', flags.maxInflight),
    maxMutatingInflight: flagInt('--max-mutating-inflight', flags.maxMutatingInflight),
    dropWatchesEvery,
  });
}

/** Validates a `cluster:` block (already-parsed values pass through unchanged). */
export function parseClusterOptions(input: unknown, source = 'cluster'): ClusterOptions {
  const r = ClusterOptionsSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${source}.${i.path.join('.')}: ${i.message}`);
  throw new InputError(`invalid ${source} options`, { problems });
}
