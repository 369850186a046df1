// npm run bench [-- FILTER...]: runs every bench/**/*.bench.ts (whose path contains a FILTER) in its own
// process with tsx, one at a time so benchmarks do not compete for the two cores. Each bench prints
// one JSON document on stdout:
//   { "bench": "cluster/crud", "results": [{ "name", "value", "unit", "target"?, "pass"? }], "notes"? }
// The aggregate is printed as JSON and kept in .bench/latest.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.bench.ts') ? [p] : [];
  });
}

const files = walk(join(root, 'bench'))
  .map((p) => relative(root, p))
  .filter((p) => filters.length === 0 || filters.some((f) => p.includes(f)))
  .sort();

const benches = [];
let failed = 0;
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  try {
    if (r.status !== 0) throw new Error(`exit ${r.status}`);
    benches.push({ file, ...JSON.parse(r.stdout) });
  } catch (e) {
    failed++;
    benches.push({ file, error: String(e.message ?? e), stdout: r.stdout?.slice(-2000) });
  }
}

const out = { date: new Date().toISOString(), node: process.version, benches };
mkdirSync(join(root, '.bench'), { recursive: true });
writeFileSync(join(root, '.bench', 'latest.json'), JSON.stringify(out, null, 2));
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
process.exit(failed ? 1 : 0);
