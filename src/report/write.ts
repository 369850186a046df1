/** Writes the reports of a run beside results.json (or wherever `kubeperf report` is told to). */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Results } from '../results/types.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

export interface ReportFiles {
  html?: string;
  md?: string;
  junit?: string;
}

/** Every report, under its usual name, in one folder (beside its results.json). */
export function reportFilesIn(dir: string): Required<ReportFiles> {
  return { html: join(dir, 'report.html'), md: join(dir, 'report.md'), junit: join(dir, 'junit.xml') };
}

export async function writeReports(results: Results, files: ReportFiles): Promise<void> {
  const jobs: [string | undefined, () => string][] = [
    [files.html, () => renderHtml(results)],
    [files.md, () => renderMarkdown(results)],
    [files.junit, () => renderJunit(results)],
  ];
  for (const [path, render] of jobs) {
    if (!path) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, render(), 'utf8');
  }
}
