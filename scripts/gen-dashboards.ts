// npm run dashboards: regenerates dashboards/*.json from src/monitoring/dashboards.ts (a test checks they are current).
import { fileURLToPath } from 'node:url';
import { writeDashboards } from '../src/monitoring/write-dashboards.js';

for (const p of writeDashboards(fileURLToPath(new URL('../dashboards', import.meta.url))))
  process.stderr.write(`wrote ${p}\n`);
