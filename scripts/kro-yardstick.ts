// npx tsx scripts/kro-yardstick.ts DIR... : runs `rgd inspect`'s yardstick over kro's own examples and
// e2e RGDs (a checkout of kro, or ../shared/data/kro-examples and kro-e2e); prints one line per
// problem and exits 1 when there is any. The repository's own fixtures are checked by
// src/rgd/yardstick.test.ts; kro's originals stay outside it.
import { existsSync } from 'node:fs';
import { rgdProblems, yamlFiles } from '../src/rgd/yardstick.js';

const dirs = process.argv.slice(2);
if (dirs.length === 0 || dirs.some((d) => !existsSync(d))) {
  process.stderr.write(
    `usage: npx tsx scripts/kro-yardstick.ts DIR... (missing: ${dirs.filter((d) => !existsSync(d)).join(', ') || 'DIR'})\n`,
  );
  process.exit(2);
}
const files = dirs.flatMap(yamlFiles);
const problems = files.flatMap(rgdProblems);
for (const p of problems) process.stdout.write(p + '\n');
process.stdout.write(`${files.length} files, ${problems.length} problem(s)\n`);
process.exit(problems.length ? 1 : 0);
