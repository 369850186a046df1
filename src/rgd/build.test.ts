import { describe, expect, it } from 'vitest';
import { compileRgd } from './build.js';

type Res = Record<string, unknown>;
const cm = (id: string, extra: Res = {}, data: Res = {}): Res => ({
  id,
  template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${id}-\${schema.spec.name}` }, data },
  ...extra,
});
const rgd = (resources: Res[], schema: Res = {}): Res => ({
  apiVersion: 'kro.run/v1alpha1',
  kind: 'ResourceGraphDefinition',
  metadata: { name: 'test.kro.run' },
  spec: {
    schema: { apiVersion: 'v1alpha1', kind: 'App', spec: { name: 'string | default=app' }, ...schema },
    resources,
  },
});
const err = (doc: Res) => {
  try {
    compileRgd(doc);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the RGD to be rejected');
};

describe('compileRgd: graph', () => {
  it('orders [x→z, y, z, w] as y, z, x, w with kro apply orders', () => {
    const r = compileRgd(rgd([cm('x', {}, { v: '${z.metadata.name}' }), cm('y'), cm('z'), cm('w')]));
    expect(r.topologicalOrder).toEqual(['y', 'z', 'x', 'w']);
    expect(r.resources[0]!.dependencies).toEqual(['z']);
    expect(r.applyOrders).toEqual({ x: 2, y: 2, z: 1, w: 2 });
    expect(r.deletionLayers).toEqual([['x', 'y', 'w'], ['z']]);
    expect(r.depth).toBe(2);
  });

  it('ignores comprehension variables and schema when finding dependencies', () => {
    const r = compileRgd(
      rgd([cm('a'), cm('b', {}, { v: '${string(schema.spec.name.size() + [a].filter(b, true).size())}' })]),
    );
    expect(r.resources[1]!.dependencies).toEqual(['a']);
  });

  it('adds edges for includeWhen and forEach but not readyWhen', () => {
    const r = compileRgd(
      rgd([
        cm('a', { readyWhen: ['${a.data.ok == "true"}'] }),
        cm('b', { includeWhen: ['${a.data.ok == "true"}'] }),
        {
          id: 'c',
          forEach: [{ entry: '${b.data.list.split(",")}' }],
          template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${entry}' } },
        },
      ]),
    );
    expect(r.resources.map((x) => x.dependencies)).toEqual([[], ['a'], ['b']]);
    expect(r.depth).toBe(3);
  });

  it('reports cycles with kro message', () => {
    expect(
      err(rgd([cm('a', {}, { v: '${b.metadata.name}' }), cm('b', {}, { v: '${a.metadata.name}' })])),
    ).toBe('failed to build dependency graph: graph contains a cycle: a -> b -> a');
  });

  it('detects cycles created only through includeWhen', () => {
    expect(
      err(rgd([cm('a', { includeWhen: ['${b.data.x == "1"}'] }), cm('b', {}, { v: '${a.data.x}' })])),
    ).toContain('graph contains a cycle: a -> b -> a');
  });

  it('compiles string templates to concatenations', () => {
    const r = compileRgd(rgd([cm('a')]));
    expect(r.resources[0]!.expressions[0]!.expression).toBe('"a-" + (schema.spec.name)');
  });

  it('accepts the legacy ResourceGroup kind and builds the CRD name', () => {
    const r = compileRgd({ ...rgd([]), kind: 'ResourceGroup' });
    expect(r.kind).toBe('ResourceGroup');
    expect(r.schema.crdName).toBe('apps.kro.run');
  });
});

describe('compileRgd: kro validation messages', () => {
  it('kind must be UpperCamelCase', () => {
    expect(err(rgd([], { kind: 'myApp' }))).toBe(
      "failed to validate resourcegraphdefinition: naming convention violation: kind 'myApp' is not a valid KRO kind name: must be UpperCamelCase",
    );
  });
  it('reserved ids', () => {
    expect(err(rgd([cm('spec')]))).toBe(
      'failed to validate resourcegraphdefinition: naming convention violation: id spec is a reserved keyword in KRO',
    );
    expect(err(rgd([cm('while')]))).toContain('id while is a reserved keyword in KRO');
  });
  it('ids must be lower camelCase', () => {
    expect(err(rgd([cm('my-app')]))).toBe(
      'failed to validate resourcegraphdefinition: naming convention violation: id my-app is not a valid KRO resource id: must be lower camelCase',
    );
  });
  it('duplicate ids', () => {
    expect(err(rgd([cm('a'), cm('a')]))).toBe(
      'failed to validate resourcegraphdefinition: naming convention violation: found duplicate resource IDs a',
    );
  });
  it('self references', () => {
    expect(err(rgd([cm('a', {}, { v: '${a.metadata.name}' })]))).toBe(
      'resource "a": self references are not allowed',
    );
  });
  it('unknown identifiers', () => {
    expect(err(rgd([cm('a', {}, { v: '${nope.metadata.name}' })]))).toBe(
      'resource "a" template: references unknown identifiers: [nope]',
    );
  });
  it('readyWhen may reference only the resource itself', () => {
    expect(err(rgd([cm('mainPod'), cm('workerPods', { readyWhen: ['${mainPod.data.x == "y"}'] })]))).toBe(
      'resource "workerPods" readyWhen: references unknown identifiers: [mainPod]',
    );
  });
  it('readyWhen/includeWhen/forEach must be standalone', () => {
    expect(err(rgd([cm('a', { readyWhen: ['x ${a.data.x}'] })]))).toBe(
      'resource "a" readyWhen: only standalone expressions are allowed',
    );
    expect(err(rgd([cm('a', { includeWhen: ['${schema.spec.name} '] })]))).toContain(
      'only standalone expressions are allowed',
    );
  });
  it('readyWhen must return bool', () => {
    expect(err(rgd([cm('a', { readyWhen: ['${"yes"}'] })]))).toContain('must return bool, got string');
  });
  it('nested expressions', () => {
    expect(err(rgd([cm('a', {}, { v: '${a${b}}' })]))).toBe(
      'resource "a": nested expressions are not allowed unless inside string literals',
    );
  });
  it('unknown functions', () => {
    expect(err(rgd([cm('a', {}, { v: '${frobnicate(schema.spec.name)}' })]))).toContain(
      'uses unknown functions: [frobnicate]',
    );
  });
  it("kubeperf's own CEL gaps are unchecked expressions, not errors (kro would accept them)", () => {
    const r = compileRgd(
      rgd(
        [
          cm('a', {}, { v: '${omit()}', w: '${[?schema.spec.?name, b.metadata.name]}' }),
          cm('b', {}, { x: '${has(schema.spec.list[0].x) ? "y" : "n"}' }),
        ],
        { spec: { name: 'string | default=app', list: '[]object' } },
      ),
    );
    expect(r.unchecked.map((u) => [u.resource, u.path, u.reason])).toEqual([
      ['a', 'data.v', 'kubeperf does not support CEL function omit() yet; kro would accept and evaluate it'],
      [
        'a',
        'data.w',
        'kubeperf does not support optional list/map entries ([?x], {?k: v}) yet; kro would accept them',
      ],
      [
        'b',
        'data.x',
        'kubeperf does not support has() through an index (has(a.b[0].c)) yet; kro would accept it',
      ],
    ]);
    // The references of an expression kubeperf cannot parse still make the edge a -> b.
    expect(r.resources[0]!.dependencies).toEqual(['b']);
    expect(r.resources[0]!.expressions.map((e) => e.path)).toEqual(['metadata.name']);
    // An unknown function next to an unsupported one is still kro's error.
    expect(err(rgd([cm('a', {}, { v: '${omit() + nope()}' })]))).toContain('uses unknown functions: [nope]');
  });
  it('template xor externalRef', () => {
    expect(err(rgd([{ id: 'a' }]))).toBe(
      'resource "a": exactly one of template or externalRef must be provided',
    );
    const both = {
      ...cm('a'),
      externalRef: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
    };
    expect(err(rgd([both]))).toBe('resource "a": cannot use externalRef with template');
  });
  it('externalRef with forEach, and name xor selector', () => {
    const ext = { id: 'e', externalRef: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } };
    expect(err(rgd([{ ...ext, forEach: [{ i: '${[1]}' }] }]))).toBe(
      'resource "e": cannot use externalRef with forEach',
    );
    const neither = { id: 'e', externalRef: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } };
    expect(err(rgd([neither]))).toBe('resource "e": exactly one of name or selector must be provided');
  });
  it('template structure', () => {
    expect(err(rgd([{ id: 'a', template: { kind: 'ConfigMap', metadata: {} } }]))).toBe(
      'failed to build resource "a": apiVersion field not found',
    );
    expect(err(rgd([{ id: 'a', template: { apiVersion: 'v1', kind: 'ConfigMap' } }]))).toBe(
      'failed to build resource "a": metadata field not found',
    );
  });
  it('reserved labels and annotations', () => {
    const t = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { 'kro.run/owned': 'x' } },
    };
    expect(err(rgd([{ id: 'a', template: t }]))).toBe(
      'invalid label for resource "a". labels with prefix "kro.run/" are reserved for internal use',
    );
  });
  it('scope rules', () => {
    const ns = {
      id: 'ns',
      template: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', namespace: 'y' } },
    };
    expect(err(rgd([ns]))).toBe('resource "ns" is cluster-scoped and must not set metadata.namespace');
    expect(err(rgd([cm('a')], { scope: 'Cluster' }))).toBe(
      'resource "a" is namespaced and must set metadata.namespace when the instance CRD is cluster-scoped',
    );
  });
  it('forEach rules', () => {
    const t = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${tier}' } };
    expect(err(rgd([{ id: 'a', forEach: [{ tier: '${["a"]}' }, { zone: '${["b"]}' }], template: t }]))).toBe(
      'resource "a": all forEach dimensions must be used to produce a unique resource identity, missing: [zone]',
    );
    expect(err(rgd([{ id: 'a', forEach: [{ Tier: '${["a"]}' }], template: t }]))).toBe(
      'resource "a": forEach iterator name "Tier" is not valid: must be lowerCamelCase',
    );
    expect(err(rgd([{ id: 'a', forEach: [{ each: '${["a"]}' }], template: t }]))).toBe(
      'resource "a": forEach iterator name "each" is a reserved keyword',
    );
    expect(err(rgd([cm('b'), { id: 'a', forEach: [{ b: '${["a"]}' }], template: t }]))).toBe(
      'resource "a": forEach iterator name "b" conflicts with resource ID',
    );
    expect(err(rgd([{ id: 'a', forEach: [{ tier: '${["a"]}' }, { tier: '${["b"]}' }], template: t }]))).toBe(
      'resource "a": duplicate forEach iterator name "tier"',
    );
    const dims = Array.from({ length: 11 }, (_, i) => ({ [`d${i}`]: '${[1]}' }));
    expect(err(rgd([{ id: 'a', forEach: dims, template: t }]))).toBe(
      'resource "a": forEach cannot have more than 10 dimensions, got 11',
    );
    expect(
      err(rgd([{ id: 'a', forEach: [{ tier: '${["a"]}' }, { zone: '${[tier]}' }], template: t }])),
    ).toContain('cannot reference other iterators');
  });
  it('status rules', () => {
    expect(err(rgd([cm('a')], { status: { url: 'http://x' } }))).toBe(
      'status fields without expressions are not supported: [status.url]',
    );
    expect(err(rgd([cm('a')], { status: { x: '${1 + 1}' } }))).toBe(
      'instance status field must refer to a resource or schema',
    );
    const ok = compileRgd(
      rgd([cm('a')], { status: { name: '${a.metadata.name}', n: '${schema.spec.name}' } }),
    );
    expect(ok.status.map((s) => s.path)).toEqual(['status.name', 'status.n']);
  });
  it('custom status.conditions: standalone, runtime allowed only there, compiled and evaluated', () => {
    const cond = '${runtime.newCondition({type: "Up", status: a.metadata.name != "" ? "True" : "False"})}';
    const compiled = compileRgd(rgd([cm('a')], { status: { conditions: [cond] } })).status;
    expect(compiled.map((c) => [c.kind, c.path, c.references])).toEqual([
      ['condition', 'status.conditions[0]', ['a']],
    ]);
    const up = compiled[0]!.program.evaluate({ a: { metadata: { name: 'x' } } }) as { status: string };
    expect(up.status).toBe('True');
    expect(
      err(
        rgd([cm('a')], {
          status: { conditions: ['${runtime.newCondition({"type": "Up", status: "True"})}'] },
        }),
      ),
    ).toBe(
      'failed to parse status.conditions[0] expression "${runtime.newCondition({"type": "Up", status: "True"})}": runtime.newCondition: keys must be bare identifiers (type, status, reason, message); quoted or computed keys are not allowed',
    );
    expect(err(rgd([cm('a')], { status: { conditions: ['x ' + cond] } }))).toBe(
      'status.conditions[0]: only standalone expressions are allowed',
    );
    expect(err(rgd([cm('a')], { status: { conditions: ['${nope.x}'] } }))).toBe(
      'status.conditions[0]: references unknown identifiers: [nope]',
    );
    expect(err(rgd([cm('a')], { status: { c: '${runtime.condition(schema, "Ready")}' } }))).toBe(
      'status.c: runtime is only available in status.conditions',
    );
    expect(err(rgd([cm('a', {}, { v: '${runtime.x}' })]))).toBe(
      'resource "a" template: runtime is only available in status.conditions',
    );
  });
  it('SimpleSchema errors surface with their message', () => {
    expect(err(rgd([], { spec: { a: 'string | nope=1' } }))).toContain('unknown marker: nope');
    expect(err(rgd([], { spec: { a: 'Missing' } }))).toContain('unknown type: Missing');
  });
  it('type-checks expressions against the instance schema (typos, non-string template parts)', () => {
    expect(err(rgd([cm('a', {}, { v: '${schema.spec.nmae}' })]))).toBe(
      'failed to type-check template expression "${schema.spec.nmae}" in resource "a" at path "data.v": No such key: nmae',
    );
    const typed = rgd([cm('a', {}, { v: 'n-${schema.spec.n}' })], {
      spec: { name: 'string | default=x', n: 'integer' },
    });
    expect(err(typed)).toContain('no such overload: string + int');
    const ok = rgd([cm('a', {}, { v: 'n-${string(schema.spec.n)}' })], {
      spec: { name: 'string | default=x', n: 'integer' },
    });
    expect(compileRgd(ok).resources[0]!.expressions).toHaveLength(2);
  });
  it('schema apiVersion must be a Kubernetes version', () => {
    expect(err(rgd([], { apiVersion: 'v1gamma' }))).toBe('version v1gamma is not a valid Kubernetes version');
  });
});
