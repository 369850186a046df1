import { describe, expect, it } from 'vitest';
import { progressFactory } from './progress.js';

describe('progress lines (non-TTY)', () => {
  const lines = () => {
    const out: string[] = [];
    return { out, factory: progressFactory({ interactive: false, write: (l) => out.push(l) }) };
  };

  it('a handful of long items gets no rate ("5/5 expressions, 1/s" says nothing)', () => {
    const { out, factory } = lines();
    const p = factory('cel');
    p.start(5, 'expressions');
    for (let i = 0; i < 5; i++) p.advance(1);
    p.finish();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^cel: 5\/5 expressions \(100%\), errors 0 in \d+\.\ds$/);
  });

  it('many requests get their rate, and the final line is written once', () => {
    const { out, factory } = lines();
    const p = factory('crud');
    p.start(500, 'requests');
    p.advance(500, 2);
    p.finish();
    p.finish();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^crud: 500\/500 requests \(100%\), \d+\/s, errors 2 in \d+\.\ds$/);
  });
});
