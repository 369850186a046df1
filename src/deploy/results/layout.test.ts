import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { CONFIGMAP_LIMIT, decodeResults, encodeResults, type ReadConfigMap } from './layout.js';
import { formatLogBlock, parseLogBlocks } from './log-block.js';

const meta = {
  runId: 'r1',
  state: 'finished' as const,
  phase: 'p',
  phasesDone: 1,
  verdict: 'pass',
  updatedAt: 'now',
};
const asRead = (m: {
  name: string;
  data: Record<string, string>;
  binaryData: Record<string, string>;
}): ReadConfigMap => ({
  metadata: { name: m.name },
  data: m.data,
  binaryData: m.binaryData,
});
const size = (m: { data: Record<string, string>; binaryData: Record<string, string> }) =>
  Object.entries(m.data).reduce((a, [k, v]) => a + k.length + Buffer.byteLength(v), 0) +
  Object.entries(m.binaryData).reduce((a, [k, v]) => a + k.length + Buffer.from(v, 'base64').length, 0);

describe('results ConfigMap layout', () => {
  it('small files stay plain keys anyone can read with kubectl', () => {
    const files = { 'results.json': Buffer.from('{"a":1}\n'), 'report.html': Buffer.from('<html></html>') };
    const maps = encodeResults('cm', files, meta);
    expect(maps).toHaveLength(1);
    expect(maps[0]!.data['results.json']).toBe('{"a":1}\n');
    expect(maps[0]!.data.verdict).toBe('pass');
    const back = decodeResults(asRead(maps[0]!), new Map());
    expect(back.files['results.json']!.equals(files['results.json'])).toBe(true);
    expect(back.files['report.html']!.equals(files['report.html'])).toBe(true);
  });

  it('large files are gzipped, split over ConfigMaps under the 1 MiB limit, and reassemble byte for byte', () => {
    const results = Buffer.from(randomBytes(2_500_000).toString('hex')); // 5 MB, compresses about 2:1
    const report = Buffer.from('<html>' + 'x'.repeat(3_000_000) + '</html>');
    const maps = encodeResults('cm', { 'results.json': results, 'report.html': report }, meta);
    expect(maps.length).toBeGreaterThanOrEqual(3);
    for (const m of maps) expect(size(m)).toBeLessThanOrEqual(CONFIGMAP_LIMIT);
    const byName = new Map(maps.map((m) => [m.name, asRead(m)]));
    const back = decodeResults(asRead(maps[0]!), byName);
    expect(back.files['results.json']!.equals(results)).toBe(true);
    expect(back.files['report.html']!.equals(report)).toBe(true);
    expect(back.manifest.configMaps).toEqual(maps.map((m) => m.name));
  });

  it('a missing or altered part is bad input naming the part', () => {
    const results = Buffer.from(randomBytes(1_500_000).toString('hex'));
    const maps = encodeResults('cm', { 'results.json': results }, meta);
    const byName = new Map(maps.map((m) => [m.name, asRead(m)]));
    byName.delete('cm-1');
    expect(() => decodeResults(asRead(maps[0]!), byName)).toThrow(InputError);
    expect(() => decodeResults(asRead(maps[0]!), byName)).toThrow(
      /missing part results\.json\.gz\.001: ConfigMap cm-1/,
    );
    const altered = new Map(maps.map((m) => [m.name, asRead(m)]));
    const part = altered.get('cm-1')!;
    part.binaryData = { ...part.binaryData };
    const key = Object.keys(part.binaryData)[0]!;
    part.binaryData[key] = Buffer.from('stale').toString('base64');
    expect(() => decodeResults(asRead(maps[0]!), altered)).toThrow(/stale or damaged/);
  });
});

describe('results in the pod log', () => {
  it('a block survives log prefixes and CRs; a damaged block is counted, not trusted', () => {
    const json = Buffer.from(JSON.stringify({ runId: 'r9', big: 'y'.repeat(10_000) }));
    const block = formatLogBlock('r9', json, { index: 2, count: 4 });
    const log = [
      'starting…',
      ...block.split('\n').map((l) => `2026-11-22T10:00:00.000000000Z ${l}\r`),
      'bye',
    ].join('\n');
    const { blocks, damaged } = parseLogBlocks(log);
    expect(damaged).toBe(0);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.worker).toEqual({ index: 2, count: 4 });
    expect(blocks[0]!.results.equals(json)).toBe(true);
    const cut = block.split('\n');
    cut.splice(2, 1);
    expect(parseLogBlocks(cut.join('\n'))).toMatchObject({ blocks: [], damaged: 1 });
  });
});
