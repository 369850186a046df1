import { describe, expect, it } from 'vitest';
import { loadStudyText } from '../config/load.js';
import { InputError } from '../core/errors.js';
import { builtinRegistry } from '../phases/builtin.js';

const load = (text: string) => loadStudyText(text, 'study.yaml', '/tmp', { registry: builtinRegistry() });
const problems = (text: string) => {
  try {
    load(text);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).problems;
  }
  throw new Error('expected problems');
};

describe('study measurements: and metrics:', () => {
  it('adds the default-on apiserverMetrics, keeps listed ones with their scope, drops enabled: false', () => {
    const a = load('phases:\n  - type: crud\n    name: a\n  - type: crud\n    name: b\n');
    expect(a.measurements.map((m) => [m.name, m.implicit])).toEqual([['apiserverMetrics', true]]);
    const b = load(`phases:
  - type: crud
    name: a
measurements:
  - type: apiserverMetrics
    enabled: false
  - type: promQuery
    name: etcd
    phases: [a]
    url: http://127.0.0.1:9090
    queries: [{name: up, query: up}]
metrics:
  local: victoriametrics
  scrapeInterval: 500ms
`);
    expect(b.measurements.map((m) => [m.name, m.type, m.phases])).toEqual([['etcd', 'promQuery', ['a']]]);
    expect(b.study.metrics).toMatchObject({ local: 'victoriametrics', scrapeInterval: '500ms' });
  });

  it('reports each problem with file, line, path and a suggestion', () => {
    const p = problems(`phases:
  - type: crud
    name: crud
measurements:
  - type: promQeury
  - type: containerUsage
    window: 30s
  - type: controllerMetrics
    phases: [crdu]
    url: http://x/metrics
    intervall: 1s
  - type: containerUsage
metrics:
  local: prometheus
  url: http://x
`);
    expect(p).toEqual([
      'study.yaml:5:11: measurements[0].type: unknown measurement "promQeury" (did you mean "promQuery"?); known measurements: apiserverMetrics, containerUsage, controllerMetrics, promQuery',
      'study.yaml:9:14: measurements[2].phases[0]: no phase named "crdu" (did you mean "crud"?)',
      'study.yaml:11:5: measurements[2].intervall: unknown field "intervall" (did you mean "interval"?)',
      'study.yaml:12:11: measurements[3]: duplicate measurement name "containerUsage" (give each a distinct name:)',
      'study.yaml:14:3: metrics: set either local (start a backend) or url (use an existing one), not both',
    ]);
  });
});
