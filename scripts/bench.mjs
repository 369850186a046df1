// npm run bench [-- FILTER...]: runs every bench/**/*.bench.ts (whose path contains a FILTER) in its own
// process with tsx, one at a time so benchmarks do not compete for the two cores. Each bench prints
// one JSON document on stdout:
//   { "bench": "cluster/crud", "results": [{ "name", "value", "unit", "target"?, "pass"? }], "notes"? }
// The aggregate is printed as JSON and kept in .bench/latest.json. A bench that exits non-zero or
// prints no JSON fails, and so does every result with "pass": false (a missed target): the exit code
// is 1 when anything failed, with one line per failure on stderr.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
// KUBEPERF_BENCH_DIR: another folder of benches, with its own .bench/ (the runner's own tests use it).
const benchDir = process.env.KUBEPERF_BENCH_DIR ?? join(root, 'bench');
const outDir = process.env.KUBEPERF_BENCH_DIR ? join(benchDir, '.bench') : join(root, '.bench');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const filters = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.bench.ts') ? [p] : [];
  });
}

const files = walk(benchDir)
  .map((p) => relative(root, p))
  .filter((p) => filters.length === 0 || filters.some((f) => p.includes(f)))
  .sort();

const benches = [];
const failures = [];
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const r = spawnSync(process.execPath, ['--import', tsx, file], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  let doc;
  try {
    doc = JSON.parse(r.stdout);
  } catch (e) {
    failures.push(`${file}: no JSON document on stdout (exit ${r.status}): ${e.message}`);
    benches.push({ file, error: String(e.message ?? e), stdout: r.stdout?.slice(-2000) });
    continue;
  }
  benches.push({ file, ...doc });
  if (r.status !== 0) failures.push(`${file}: exit ${r.status}`);
  for (const x of doc.results ?? [])
    if (x.pass === false)
      failures.push(
        `${file}: ${x.name} = ${x.value}${x.unit ? ` ${x.unit}` : ''} misses its target${x.target !== undefined ? ` ${x.target}` : ''}`,
      );
}

const out = { date: new Date().toISOString(), node: process.version, benches, failures };
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'latest.json'), JSON.stringify(out, null, 2));
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
for (const f of failures) process.stderr.write(`bench FAILED: ${f}\n`);
process.stderr.write(
  failures.length
    ? `bench: ${failures.length} failure(s) in ${files.length} bench(es)\n`
    : `bench: ${files.length} bench(es), every target met\n`,
);
process.exit(failures.length ? 1 : 0);
