import { describe, expect, it } from 'vitest';
import { MinIndexSet } from './ready-set.js';
import { seededRandom as rng } from '../core/random.js';

describe('MinIndexSet', () => {
  it('pops in ascending order across word and summary boundaries, like a min-heap', () => {
    const n = 5000;
    const set = new MinIndexSet(n);
    const rand = rng(3);
    const reference: number[] = [];
    const popped: number[] = [];
    for (let step = 0; step < 20000; step++) {
      if (reference.length === 0 || rand() < 0.55) {
        const v = Math.floor(rand() * n);
        if (!reference.includes(v)) {
          reference.push(v);
          set.push(v);
        }
      } else {
        reference.sort((a, b) => a - b);
        popped.push(set.pop());
        expect(popped[popped.length - 1]).toBe(reference.shift());
      }
      expect(set.length).toBe(reference.length);
    }
    expect(popped.length).toBeGreaterThan(1000);
  });
});
