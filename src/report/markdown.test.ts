import { describe, expect, it } from 'vitest';
import { analyzeResults } from '../analysis/analyze.js';
import { fullResults } from '../analysis/test-fixtures.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

const results = analyzeResults(fullResults(), {
  thresholds: ['create.p99 < 500ms', 'cel.very-complex.evalNs < 5us'],
  slo: true,
  guard: { maxErrorRate: 0.05 },
});

describe('Markdown report', () => {
  const md = renderMarkdown(results);

  it('has the API, CEL and graph tables of a CRUD + CEL + graph run', () => {
    expect(md).toContain('## API operations');
    expect(md).toMatch(/\| crud \| create \| 900 \| 0 \| [\d.]+ \/s \|/);
    expect(md).toContain('## CEL expressions');
    expect(md).toMatch(/\| pairwise-unique \| very-complex \| O\(n²\) \| [\d,.]+ (µs|ms) \| 48 µs \|/);
    expect(md).toContain('## Resource graph (graph)');
    expect(md).toMatch(/\| 1,000 \| 2,000 \| 39\.9 ms \|/);
  });

  it('says what a confidence interval was computed over (rounds here, not windows)', () => {
    expect(md).toMatch(/crud create: steady throughput [\d,.]+ \/s \(95% CI .* over 4 rounds\)/);
  });

  it('writes every table with as many cells per row as header cells (GitHub drops ragged tables)', () => {
    const withBaseline = structuredClone(results);
    const cel = withBaseline.phases.find((p) => p.type === 'cel')!;
    const exprs = (cel.data as { expressions: { baselineNs?: number }[] }).expressions;
    exprs[0]!.baselineNs = 12;
    for (const doc of [md, renderMarkdown(withBaseline)]) {
      const lines = doc.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!/^\|[ :-]+\|/.test(lines[i + 1] ?? '') || !lines[i]!.startsWith('|')) continue;
        const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
        const width = cells(lines[i]!);
        for (let j = i + 2; j < lines.length && lines[j]!.startsWith('|'); j++)
          expect(cells(lines[j]!), `${lines[i]}\n${lines[j]}`).toBe(width);
      }
    }
    expect(renderMarkdown(withBaseline)).toMatch(/\| Program size \| Plain JS \|/);
  });

  it('carries the verdict, thresholds and generated recommendations', () => {
    expect(md).toContain('**Verdict: FAIL**');
    expect(md).toMatch(/\| ❌ \| `cel\.very-complex\.evalNs < 5us` \| 48 µs \| 5 µs \| threshold \|/);
    const recs = md.slice(md.indexOf('## Recommendations'));
    expect(recs).toMatch(/stops scaling beyond 8 workers/);
    expect(recs).toMatch(/expression pairwise-unique is O\(n²\): nested quantifiers/);
    expect(recs).toMatch(/buildMs grows as nodes\^1\.10/);
  });
});

describe('JUnit XML', () => {
  const xml = renderJunit(results);

  it('has one testcase per threshold and SLO check plus run validity', () => {
    const cases = xml.match(/<testcase /g) ?? [];
    expect(cases.length).toBe(results.thresholds.length + 1);
    expect(xml).toMatch(/<testsuites name="kubeperf" tests="\d+" failures="1"/);
  });

  it('reports a threshold breach as a failure, escaped', () => {
    expect(xml).toContain(
      '<testcase classname="kubeperf.thresholds" name="cel.very-complex.evalNs &lt; 5us" time="0">\n      <failure message="cel.very-complex.evalNs = 48 µs',
    );
    expect(xml).toContain('<testcase classname="kubeperf.slo" name="crud:create.p99 &lt;= 1s"');
  });
});
