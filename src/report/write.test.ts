import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { celPhase, crudPhase, makeResults } from '../analysis/test-fixtures.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { writeReports } from './write.js';

describe('writeReports', () => {
  it('writes all three files, analysing results that carry no analysis yet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubeperf-write-'));
    try {
      const results = makeResults([celPhase()]);
      const files = {
        html: join(dir, 'a', 'report.html'),
        md: join(dir, 'report.md'),
        junit: join(dir, 'junit.xml'),
      };
      await writeReports(results, files);
      const html = await readFile(files.html, 'utf8');
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).not.toMatch(/<script[^>]+src=/);
      expect(html).toContain('data-chart="cel-0"');
      expect(await readFile(files.md, 'utf8')).toContain('expression pairwise-unique is O(n²)');
      expect(await readFile(files.junit, 'utf8')).toContain('name="run is valid"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps names from results out of the markup (no script injection, tables intact)', () => {
    const evil = '</script><script>alert(1)</script>|x';
    const results = makeResults([crudPhase({ name: evil, ops: ['create'], seconds: 2 })], { name: evil });
    const html = renderHtml(results);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    expect(renderMarkdown(results)).toContain('alert(1)</script>\\|x | create |');
  });
});
