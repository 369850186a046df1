/**
 * Results built through the real recording path (Recorder + HDR histograms) from seeded random
 * latencies, for tests and benchmarks of analysis and reports. Not used at run time.
 */
import { Recorder } from '../metrics/recorder.js';
import type { PhaseResult, Results } from '../results/types.js';
import { normal, seededRandom } from '../core/random.js';

const MEDIAN_MS: Record<string, number> = {
  create: 8,
  get: 2,
  list: 30,
  update: 9,
  delete: 6,
  readiness: 400,
};

export interface CrudFixture {
  name?: string;
  seed?: number;
  /** Latency multiplier (1.2 = 20% slower). */
  scale?: number;
  seconds?: number;
  /** Requests per second per op. */
  rate?: number;
  /** Fraction of requests that fail with TooManyRequests/429. */
  errorRate?: number;
  ops?: string[];
  /** Leading seconds at 3× latency and half rate (a warm-up). */
  warmupSeconds?: number;
  /** Rounds the seconds are split into, recorded per op as the crud phase does (default 5; 0: none). */
  rounds?: number;
}

export function recordCrud(f: CrudFixture = {}): Recorder {
  const rand = seededRandom(f.seed ?? 1);
  const rec = new Recorder(0);
  const seconds = f.seconds ?? 10;
  const rate = f.rate ?? 100;
  const ops = f.ops ?? ['create', 'get', 'list', 'delete', 'readiness'];
  const rounds = Math.min(f.rounds ?? 5, seconds);
  for (let s = 0; s < seconds; s++) {
    if (rounds > 1) rec.beginRound(Math.floor((s * rounds) / seconds));
    const warm = s < (f.warmupSeconds ?? 0);
    const perSec = warm ? Math.floor(rate / 2) : rate;
    for (const op of ops) {
      const base = (MEDIAN_MS[op] ?? 5) * (f.scale ?? 1) * (warm ? 3 : 1);
      for (let i = 0; i < perSec; i++) {
        const start = s * 1000 + (i * 1000) / perSec;
        const lat = base * Math.exp(0.35 * normal(rand));
        const end = Math.min(start + lat, s * 1000 + 999.9);
        if (rand() < (f.errorRate ?? 0)) rec.record(op, start, end, { reason: 'TooManyRequests', code: 429 });
        else rec.record(op, end - lat, end);
      }
    }
  }
  return rec;
}

export function crudPhase(f: CrudFixture = {}): PhaseResult {
  const seconds = f.seconds ?? 10;
  return {
    name: f.name ?? 'crud',
    type: 'crud',
    tags: [],
    startedAt: '2026-11-22T10:00:00.000Z',
    endedAt: new Date(Date.parse('2026-11-22T10:00:00.000Z') + seconds * 1000).toISOString(),
    durationMs: seconds * 1000,
    status: 'ok',
    ops: recordCrud(f).snapshot(),
  };
}

export function celPhase(scale = 1): PhaseResult {
  const e = (name: string, expression: string, complexity: string, costOrder: string, evalNs: number) => ({
    name,
    expression,
    complexity,
    costOrder,
    compileUs: 40 * (1 + evalNs / 500),
    evalNs: evalNs * scale,
    evalNsP95: evalNs * scale * 1.3,
    evalsPerSec: 1e9 / (evalNs * scale),
    bytesPerProgram: 2000 + evalNs * 3,
  });
  return {
    ...basePhase('cel', 'cel'),
    data: {
      expressions: [
        e('replicas-positive', 'self.spec.replicas > 0', 'simple', 'O(1)', 85),
        e('name-prefix', "self.metadata.name.startsWith('web-')", 'simple', 'O(1)', 120),
        e('ports-valid', 'self.spec.ports.all(p, p.port > 0 && p.port < 65536)', 'medium', 'O(n)', 900),
        e('labels-match', "self.items.all(i, i.labels.exists(l, l == 'app'))", 'complex', 'O(n²)', 5200),
        e(
          'pairwise-unique',
          'self.items.all(a, self.items.exists_one(b, b.name == a.name))',
          'very-complex',
          'O(n²)',
          48000,
        ),
      ],
    },
  };
}

export function graphPhase(): PhaseResult {
  const sizes = [10, 50, 100, 500, 1000].map((nodes) => ({
    nodes,
    edges: nodes * 2,
    buildMs: 0.02 * nodes ** 1.1,
    topoSortUs: 1.5 * nodes,
    traversalOpsPerSec: 5e6 / nodes,
    pathFindingOpsPerSec: 2e6 / nodes,
    bytesPerNode: 900,
  }));
  return {
    ...basePhase('graph', 'graph'),
    data: { sizes, exponent: 1.1, exponentR2: 0.999 },
    sweeps: [
      {
        parameter: 'nodes',
        unit: 'nodes',
        points: sizes.map((s) => ({ x: s.nodes, metrics: { buildMs: s.buildMs, topoSortUs: s.topoSortUs } })),
      },
    ],
  };
}

/** A CRUD phase with concurrency and payload sweeps and control-plane resource samples. */
export function sweepPhase(): PhaseResult {
  const conc = [1, 2, 4, 8, 16, 32];
  const tput = (c: number) => Math.min(c, 8) * 150 + (c > 8 ? 10 * Math.log2(c) : 0);
  const samples = Array.from({ length: 20 }, (_, t) => ({
    t,
    cpuCores: 0.8 + 0.05 * Math.sin(t),
    rssBytes: 119e6 + t * 0.5e6,
  }));
  return {
    ...basePhase('sweep', 'crud'),
    ops: recordCrud({ seed: 9, seconds: 4, rate: 50, ops: ['create'] }).snapshot(),
    sweeps: [
      {
        parameter: 'concurrency',
        unit: 'workers',
        points: conc.map((c) => ({
          x: c,
          metrics: { 'create.throughput': tput(c), 'create.p99': 5 + c * 0.8 },
        })),
      },
      {
        parameter: 'payloadBytes',
        unit: 'bytes',
        points: [1024, 4096, 16384, 65536, 262144].map((b) => ({
          x: b,
          metrics: { 'create.p99': 4 + b / 20000, 'create.throughput': 1200 - b / 400 },
        })),
      },
      {
        parameter: 'objects',
        unit: 'objects',
        points: [100, 500, 1000, 2000].map((o) => ({ x: o, metrics: { rssBytes: 119e6 + o * 0.5e6 } })),
      },
    ],
    resources: {
      source: 'test fixture',
      samples,
      cpuCores: { mean: 0.8, max: 0.85 },
      rssBytes: { mean: 124e6, max: 128.5e6 },
    },
  };
}

function basePhase(name: string, type: string): PhaseResult {
  return {
    name,
    type,
    tags: [],
    startedAt: '2026-11-22T10:00:10.000Z',
    endedAt: '2026-11-22T10:00:12.000Z',
    durationMs: 2000,
    status: 'ok',
    ops: {},
  };
}

export function makeResults(phases: PhaseResult[], over: Partial<Results> = {}): Results {
  return {
    schemaVersion: 1,
    runId: 'kp-test-0001',
    name: 'fixture-study',
    tool: { name: 'kubeperf', version: '0.1.0' },
    environment: {
      node: 'v20.20.0',
      os: 'linux',
      arch: 'x64',
      cpus: 2,
      cpuModel: 'test cpu',
      totalMemoryBytes: 8e9,
    },
    target: { kind: 'embedded', server: 'https://127.0.0.1:6443', version: 'v1.34.0' },
    startedAt: '2026-11-22T10:00:00.000Z',
    endedAt: '2026-11-22T10:00:20.000Z',
    interrupted: false,
    config: {},
    verdict: 'pass',
    verdictReasons: [],
    phases,
    thresholds: [],
    warnings: [],
    ...over,
  };
}

/** CRUD + CEL + graph + sweeps: every chart and table of the report has data. */
export function fullResults(seed = 1): Results {
  const crud = crudPhase({ seed, warmupSeconds: 2 });
  crud.resources = {
    source: 'test fixture',
    samples: Array.from({ length: 10 }, (_, t) => ({
      t,
      cpuCores: 1.2 + 0.1 * Math.cos(t),
      rssBytes: 150e6 + t * 2e6,
    })),
    cpuCores: { mean: 1.2, max: 1.3 },
    rssBytes: { mean: 159e6, max: 168e6 },
  };
  return makeResults([crud, celPhase(), graphPhase(), sweepPhase()]);
}
