/** Writes the shipped dashboards as files (`kubeperf dashboards --out DIR`, `npm run dashboards`). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboards } from './dashboards.js';

export function dashboardText(model: Record<string, unknown>): string {
  return JSON.stringify(model, null, 2) + '\n';
}

export function writeDashboards(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(dashboards()).map(([file, model]) => {
    const path = join(dir, file);
    writeFileSync(path, dashboardText(model));
    return path;
  });
}
