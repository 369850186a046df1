import { describe, expect, it } from 'vitest';
import { qpsFloorSeconds } from './model.js';

describe("the plan's floor on a phase's duration behind the qps limiter", () => {
  it('the burst passes at once, the rest at qps', () => {
    // kube-burner's api-intensive: 2,800 creates at qps 4 burst 4 take at least 699 s.
    expect(qpsFloorSeconds({ qps: 4, burst: 4 }, 2800)).toBe(699);
    expect(qpsFloorSeconds({ qps: 10 }, 100)).toBe(9);
    expect(qpsFloorSeconds({ qps: 10, burst: 500 }, 100)).toBe(0);
  });

  it('says nothing without a limit or under an open model (the schedule sets the time there)', () => {
    expect(qpsFloorSeconds({}, 1000)).toBeUndefined();
    expect(qpsFloorSeconds({ qps: 0 }, 1000)).toBeUndefined();
    expect(qpsFloorSeconds({ qps: 10, arrivalRate: 100 }, 1000)).toBeUndefined();
  });
});
