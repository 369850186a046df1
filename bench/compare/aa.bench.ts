// `compare` must not call identical setups a regression, and must catch a real one (issue 10):
// 20 A/A pairs (baseline and candidate: the same `kubeperf bench crud` on the same embedded control
// plane) → at most 1 `regressed`; 20 pairs whose candidate runs against a second control plane with
// 8 ms of latency injected on every verb → at least 19 `regressed`. Every run is its own kubeperf
// process (fresh JIT, its own warm-up), pairs alternate A/A and latency, and a CPU-bound process
// runs beside the whole time (background load on top of whatever else the machine is doing).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRuns } from '../../src/analysis/compare.js';
import { launchEmbeddedCluster } from '../../src/cluster/launch.js';
import type { Results } from '../../src/results/types.js';
import { emit, log } from '../client/util.js';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 20);
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 1000);
const ROUNDS = process.env.BENCH_ROUNDS;
// BENCH_KEEP=DIR keeps every run's results.json there (pair-K-aa|slow-base|cand), for study offline.
const KEEP = process.env.BENCH_KEEP;
const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'kubeperf-aa-'));

const plain = await launchEmbeddedCluster({});
const slow = await launchEmbeddedCluster({ latency: { '*': 'fixed:8ms' } });
// Background CPU load: one busy process for the whole benchmark.
const hog = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });

let n = 0;
function benchRun(kubeconfig: string, name: string): Results {
  const out = join(KEEP ?? dir, name);
  n++;
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'src/cli/main.ts'),
      'bench',
      'crud',
      '--kubeconfig',
      kubeconfig,
      '--objects',
      String(OBJECTS),
      '--concurrency',
      '16',
      '--namespace',
      `aa-${n}`,
      '--out',
      out,
      '--json',
      ...(ROUNDS ? ['--rounds', ROUNDS] : []),
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (r.status !== 0 && r.status !== 3)
    throw new Error(`bench crud exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
}

const verdicts = { aa: [] as string[], slow: [] as string[] };
const t0 = performance.now();
try {
  for (let k = 0; k < PAIRS; k++) {
    for (const kind of ['aa', 'slow'] as const) {
      const base = benchRun(plain.kubeconfigPath, `pair-${k}-${kind}-base`);
      const cand = benchRun(
        kind === 'aa' ? plain.kubeconfigPath : slow.kubeconfigPath,
        `pair-${k}-${kind}-cand`,
      );
      const c = compareRuns({ label: 'base', results: base }, { label: 'cand', results: cand });
      verdicts[kind].push(c.verdict);
      const flagged = c.metrics.filter((m) => m.status === 'regressed').map((m) => m.key);
      log(
        `pair ${k + 1} ${kind}: ${c.verdict}${flagged.length ? ` (${flagged.slice(0, 4).join(', ')}${flagged.length > 4 ? ', …' : ''})` : ''}; load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
  }
} finally {
  hog.kill('SIGKILL');
  await Promise.all([plain.stop(), slow.stop()]);
  rmSync(dir, { recursive: true, force: true });
}
const count = (xs: string[], v: string) => xs.filter((x) => x === v).length;
const aaRegressed = count(verdicts.aa, 'regressed');
const slowRegressed = count(verdicts.slow, 'regressed');
emit(
  'compare/aa',
  [
    {
      name: `A/A pairs called regressed (of ${PAIRS})`,
      value: aaRegressed,
      unit: 'pairs',
      target: 1,
      pass: aaRegressed <= 1,
    },
    {
      name: `A/A pairs called inconclusive (of ${PAIRS})`,
      value: count(verdicts.aa, 'inconclusive'),
      unit: 'pairs',
    },
    {
      name: `A/A pairs called unchanged (of ${PAIRS})`,
      value: count(verdicts.aa, 'unchanged'),
      unit: 'pairs',
    },
    {
      name: `+8 ms pairs called regressed (of ${PAIRS})`,
      value: slowRegressed,
      unit: 'pairs',
      target: PAIRS - 1,
      pass: slowRegressed >= PAIRS - 1,
    },
    {
      name: 'load average (1 min) at the end',
      value: Math.round(loadavg()[0]! * 100) / 100,
      unit: `on ${cpus().length} cores`,
    },
    { name: 'benchmark wall time', value: Math.round((performance.now() - t0) / 1000), unit: 's' },
  ],
  `kubeperf bench crud --objects ${OBJECTS} --concurrency 16 (10 interleaved rounds, warm-up on: the defaults), each run its own process; one busy-looping process beside the whole time`,
);
if (aaRegressed > 1 || slowRegressed < PAIRS - 1) process.exitCode = 1;
