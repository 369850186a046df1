import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';
import { expandEnv } from './env.js';
import { parseOverride } from './overrides.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['250us', 0.25],
    ['100', 100],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBeCloseTo(ms));
  it.each(['', 'soon', '5 s', '1x', '-1s'])('rejects %j', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});

describe('expandEnv', () => {
  it('expands, defaults, escapes, and reports missing variables', () => {
    expect(expandEnv('a-${X}-${Y:-d}-$${X}', { X: '1' })).toEqual({ value: 'a-1-d-${X}', missing: [] });
    expect(expandEnv('${NOPE}', {}).missing).toEqual(['NOPE']);
    expect(expandEnv('${schema.spec.x} ${lower}', {}).value).toBe('${schema.spec.x} ${lower}');
  });
});

describe('parseOverride', () => {
  it('parses paths with dots and brackets, and YAML values', () => {
    expect(parseOverride('phases[1].qps=50')).toMatchObject({ path: ['phases', 1, 'qps'], value: 50 });
    expect(parseOverride('slo=true').value).toBe(true);
    expect(parseOverride('name="10"').value).toBe('10');
    expect(parseOverride('thresholds=[a < 1s]').value).toEqual(['a < 1s']);
  });
  it('rejects a flag without =', () => {
    expect(() => parseOverride('phases.0.qps')).toThrow(/expected path=value/);
  });
});
