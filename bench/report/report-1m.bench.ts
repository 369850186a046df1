/**
 * Report generation for a results.json of 1,000,000 recorded ops (target ≤ 2 s): read + validate the
 * file, analyse (CIs, steady state, fits, recommendations) and write HTML, Markdown and JUnit, as
 * `kubeperf report` does. Fixture recorded through the real Recorder; timed with performance.now().
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeResults } from '../../src/analysis/analyze.js';
import {
  celPhase,
  crudPhase,
  graphPhase,
  makeResults,
  sweepPhase,
} from '../../src/analysis/test-fixtures.js';
import { loadResults } from '../../src/report/load-results.js';
import { writeReports } from '../../src/report/write.js';

const log = (s: string) => process.stderr.write(`${s}\n`);

const t0 = performance.now();
// 5 ops × 400 req/s × 502 s (3 s warm-up at half rate) = 1,001,000 ops, 502 one-second windows per op.
const crud = crudPhase({ seed: 7, seconds: 502, rate: 400, warmupSeconds: 3, errorRate: 0.001 });
const results = makeResults([crud, celPhase(), graphPhase(), sweepPhase()]);
const ops = Object.values(crud.ops).reduce((a, s) => a + s.count, 0);
log(`fixture: ${ops} ops recorded in ${Math.round(performance.now() - t0)} ms`);

const dir = await mkdtemp(join(tmpdir(), 'kubeperf-bench-report-'));
const file = join(dir, 'results.json');
await writeFile(file, JSON.stringify(results));
const size = (await stat(file)).size;

const timings: number[] = [];
let htmlBytes = 0;
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  const loaded = await loadResults(file);
  const analysed = analyzeResults(loaded, {
    thresholds: ['create.p99 < 500ms', 'errors.rate < 1%', 'readiness.p95 < 5s'],
    slo: true,
    guard: { maxErrorRate: 0.05 },
  });
  const files = { html: join(dir, 'report.html'), md: join(dir, 'report.md'), junit: join(dir, 'junit.xml') };
  await writeReports(analysed, files);
  timings.push(performance.now() - start);
  htmlBytes = (await stat(files.html)).size;
}
await rm(dir, { recursive: true, force: true });
const sorted = [...timings].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const round = (x: number) => Math.round(x * 10) / 10;
process.stdout.write(
  JSON.stringify({
    bench: 'report/report-1m',
    results: [
      {
        name: 'report generation, 1M ops (median of 5)',
        value: round(median),
        unit: 'ms',
        target: 2000,
        pass: median <= 2000,
      },
      {
        name: 'report generation, 1M ops (first, cold)',
        value: round(timings[0]),
        unit: 'ms',
        target: 2000,
        pass: timings[0] <= 2000,
      },
      {
        name: 'HTML report size',
        value: htmlBytes,
        unit: 'bytes',
        target: 2 * 1024 * 1024,
        pass: htmlBytes <= 2 * 1024 * 1024,
      },
    ],
    notes: `${ops} ops in 5 ops × 502 windows; results.json ${size} bytes; includes read + zod validation + analysis + HTML/MD/JUnit writes`,
  }) + '\n',
);
