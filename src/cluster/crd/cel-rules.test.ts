/**
 * x-kubernetes-validations rules run on src/cel's `kubernetes` profile, so CRDs can use the libraries
 * kube-apiserver offers them (quantity, url, ip/cidr, semver, sets, two-variable comprehensions).
 */
import { describe, expect, it } from 'vitest';
import { validateCel, type Schema } from './schema.js';

const schema: Schema = {
  type: 'object',
  properties: {
    memory: { type: 'string' },
    endpoint: { type: 'string' },
    cidr: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    limits: { type: 'object', additionalProperties: { type: 'integer' } },
  },
  'x-kubernetes-validations': [
    { rule: "quantity(self.memory).isLessThan(quantity('1Gi'))", message: 'memory must be below 1Gi' },
    {
      rule: 'isURL(self.endpoint) && url(self.endpoint).getScheme() == "https"',
      message: 'endpoint must be https',
    },
    { rule: "cidr(self.cidr).containsIP('10.0.0.1')", message: 'cidr must contain 10.0.0.1' },
    { rule: "sets.contains(['a', 'b', 'c'], self.tags)", message: 'unknown tag' },
    { rule: 'self.limits.all(k, v, v <= 10)', message: 'limits must be <= 10' },
  ],
};

describe('CRD CEL rules with the Kubernetes libraries', () => {
  it('accepts a valid object and reports each failing rule', () => {
    const ok = {
      memory: '512Mi',
      endpoint: 'https://x.io/',
      cidr: '10.0.0.0/8',
      tags: ['a'],
      limits: { x: 3 },
    };
    expect(validateCel(schema, ok, undefined)).toEqual([]);
    const bad = {
      memory: '2Gi',
      endpoint: 'http://x.io/',
      cidr: '192.168.0.0/16',
      tags: ['z'],
      limits: { x: 30 },
    };
    expect(
      validateCel(schema, bad, undefined).map((c) =>
        (c.message ?? '').replace(/^Invalid value: "object": /, ''),
      ),
    ).toEqual([
      'memory must be below 1Gi',
      'endpoint must be https',
      'cidr must contain 10.0.0.1',
      'unknown tag',
      'limits must be <= 10',
    ]);
  });
});
