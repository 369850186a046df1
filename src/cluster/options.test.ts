import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { ClusterOptionsSchema, clusterOptionsFromFlags, parseClusterOptions } from './options.js';

describe('cluster options', () => {
  it('parses the flag strings of the CLI contract', () => {
    const o = clusterOptionsFromFlags({
      latency: ['create=fixed:20ms', '*=lognormal:2ms:40ms', 'get=uniform:1ms:5ms'],
      fault: ['get=503:0.05', 'get=500:0.01'],
      maxInflight: '400',
      maxMutatingInflight: '200',
      dropWatchesEvery: '30s',
      nodes: '3',
    });
    expect(o.latency).toEqual({
      create: { kind: 'fixed', ms: 20 },
      '*': { kind: 'lognormal', p50Ms: 2, p99Ms: 40 },
      get: { kind: 'uniform', minMs: 1, maxMs: 5 },
    });
    expect(o.faults).toEqual({
      get: [
        { code: 503, rate: 0.05 },
        { code: 500, rate: 0.01 },
      ],
    });
    expect([o.maxInflight, o.maxMutatingInflight, o.dropWatchesEvery, o.nodes]).toEqual([
      400, 200, 30_000, 3,
    ]);
  });

  it('names the flag in every InputError', () => {
    const cases: [object, RegExp][] = [
      [{ latency: ['create=slow'] }, /--latency create=slow/],
      [{ latency: ['post=fixed:1ms'] }, /--latency: "post=fixed:1ms" must be VERB=VALUE/],
      [{ fault: ['get=503'] }, /--fault get=503/],
      [{ fault: ['get=200:0.5'] }, /must be a 4xx or 5xx/],
      [{ maxInflight: 'lots' }, /--max-inflight/],
      [{ dropWatchesEvery: 'often' }, /--drop-watches-every/],
    ];
    for (const [flags, re] of cases) {
      expect(() => clusterOptionsFromFlags(flags)).toThrow(InputError);
      expect(() => clusterOptionsFromFlags(flags)).toThrow(re);
    }
  });

  it('accepts the study-file block with strings or objects and defaults', () => {
    const o = parseClusterOptions({
      latency: { get: 'fixed:5ms' },
      faults: { create: '429:0.1' },
      dropWatchesEvery: '10s',
    });
    expect(o.latency?.get).toEqual({ kind: 'fixed', ms: 5 });
    expect(o.faults?.create).toEqual({ code: 429, rate: 0.1 });
    expect(o.maxInflight).toBe(0);
    expect(ClusterOptionsSchema.parse(o)).toEqual(o);
    expect(() => parseClusterOptions({ bogus: 1 })).toThrow(InputError);
  });

  it('checks the service CIDR and the simulation knobs of the new controllers', () => {
    const o = parseClusterOptions({
      serviceCIDR: '10.100.0.0/16',
      jobs: { runDuration: 'fixed:2s' },
      events: false,
    });
    expect([o.serviceCIDR, o.jobs?.runDuration, o.events]).toEqual([
      '10.100.0.0/16',
      { kind: 'fixed', ms: 2000 },
      false,
    ]);
    expect(parseClusterOptions({}).events).toBe(true);
    let err: unknown;
    try {
      parseClusterOptions({ serviceCIDR: '10.96.0.0/33' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems).toEqual([
      'cluster.serviceCIDR: "10.96.0.0/33" is not an IPv4 CIDR between /8 and /30 (e.g. 10.96.0.0/16)',
    ]);
  });
});
