/**
 * Validation of built-in kinds against the embedded control plane. Expected answers are kube-apiserver
 * v1.28's (its validation code: messages, field paths, cause lists; the captured samples where one
 * exists).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, type Reply, type TestCluster } from '../test-support.js';

let c: TestCluster;
beforeAll(async () => {
  c = await testCluster();
});
afterAll(() => c.close());

const cms = '/api/v1/namespaces/default/configmaps';
const secrets = '/api/v1/namespaces/default/secrets';
const deploys = '/apis/apps/v1/namespaces/default/deployments';
const pods = '/api/v1/namespaces/default/pods';
const merge = { 'content-type': 'application/merge-patch+json' };

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const qualifiedNameMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function expectInvalid(
  r: Reply,
  message: string,
  causes?: { reason: string; message: string; field?: string }[],
): void {
  expect(r.status, r.text).toBe(422);
  expect(r.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422, message });
  if (causes) expect(r.json.details.causes).toEqual(causes);
}

const deployment = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec,
});
const tpl = (
  labels: Record<string, string>,
  containers: unknown[] = [{ name: 'c', image: 'nginx:1.25' }],
) => ({
  metadata: { labels },
  spec: { containers },
});

describe('metadata', () => {
  it('an invalid label key or value is 422 with the real causes', async () => {
    const r = await c.req('POST', cms, {
      metadata: { name: 'l1', labels: { 'bad key': 'ok', ok: 'bad value!' } },
    });
    expectInvalid(
      r,
      `ConfigMap "l1" is invalid: [metadata.labels: Invalid value: "bad key": ${qualifiedNameMsg}, metadata.labels: Invalid value: "bad value!": ${labelValueMsg}]`,
      [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: "bad key": ${qualifiedNameMsg}`,
          field: 'metadata.labels',
        },
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: "bad value!": ${labelValueMsg}`,
          field: 'metadata.labels',
        },
      ],
    );
    expect(r.json.details).toMatchObject({ name: 'l1', kind: 'ConfigMap' });
  });

  it('a label value over 63 characters and an annotation key with two slashes', async () => {
    const r = await c.req('POST', cms, {
      metadata: { name: 'l2', labels: { a: 'x'.repeat(64) }, annotations: { 'a/b/c': '1' } },
    });
    expect(r.status).toBe(422);
    expect(r.json.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`,
        field: 'metadata.labels',
      },
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
        field: 'metadata.annotations',
      },
    ]);
  });

  it('generateName that yields an invalid name reports both causes (the generated name in details)', async () => {
    const r = await c.req('POST', cms, { metadata: { generateName: 'Bad_' } });
    expect(r.status).toBe(422);
    const name = r.json.details.name as string;
    expect(name).toMatch(/^Bad_[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(r.json.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: "Bad_": ${subdomainMsg}`,
        field: 'metadata.generateName',
      },
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${name}": ${subdomainMsg}`,
        field: 'metadata.name',
      },
    ]);
    expect(r.json.message).toBe(
      `ConfigMap "${name}" is invalid: [metadata.generateName: Invalid value: "Bad_": ${subdomainMsg}, metadata.name: Invalid value: "${name}": ${subdomainMsg}]`,
    );
  });

  it('a finalizer that is neither standard nor qualified is 422 at its index', async () => {
    const r = await c.req('POST', cms, {
      metadata: { name: 'f1', finalizers: ['example.com/ok', 'custom'] },
    });
    expectInvalid(
      r,
      'ConfigMap "f1" is invalid: metadata.finalizers[1]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    );
    const bad = await c.req('POST', cms, { metadata: { name: 'f2', finalizers: ['a/b/c'] } });
    expect(bad.json.details.causes[0]).toMatchObject({
      field: 'metadata.finalizers',
      reason: 'FieldValueInvalid',
    });
  });

  it('a fieldManager over 128 bytes is 422 for CreateOptions, UpdateOptions and PatchOptions', async () => {
    const long = 'm'.repeat(129);
    const body = { metadata: { name: 'fm' }, data: { a: '1' } };
    const msg = (kind: string) =>
      `${kind}.meta.k8s.io "" is invalid: fieldManager: Too long: must have at most 128 bytes`;
    const create = await c.req('POST', `${cms}?fieldManager=${long}`, body);
    expectInvalid(create, msg('CreateOptions'), [
      {
        reason: 'FieldValueTooLong',
        message: 'Too long: must have at most 128 bytes',
        field: 'fieldManager',
      },
    ]);
    // StatusDetails.name is omitempty: an options error has no name.
    expect(create.json.details).toEqual({
      group: 'meta.k8s.io',
      kind: 'CreateOptions',
      causes: create.json.details.causes,
    });
    expect((await c.req('POST', `${cms}?fieldManager=${'m'.repeat(128)}`, body)).status).toBe(201);
    expectInvalid(await c.req('PUT', `${cms}/fm?fieldManager=${long}`, body), msg('UpdateOptions'));
    expectInvalid(await c.req('PATCH', `${cms}/fm?fieldManager=${long}`, {}, merge), msg('PatchOptions'));
  });

  it('validation (422) comes before the namespace check (404) and AlreadyExists (409)', async () => {
    const r = await c.req('POST', '/api/v1/namespaces/nope/configmaps', { metadata: { name: 'Bad' } });
    expect(r.status).toBe(422);
    await c.req('POST', cms, { metadata: { name: 'dup' } });
    expect((await c.req('POST', cms, { metadata: { name: 'dup', labels: { '-': 'x' } } })).status).toBe(422);
  });
});

describe('ConfigMaps and Secrets', () => {
  it('data keys must be config keys; data over 1 MiB is too long for the whole object', async () => {
    const r = await c.req('POST', cms, { metadata: { name: 'k1' }, data: { 'a/b': '1' } });
    expectInvalid(
      r,
      `ConfigMap "k1" is invalid: data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    );
    const big = await c.req('POST', cms, {
      metadata: { name: 'k2' },
      data: { a: 'x'.repeat(1024 * 1024 + 1) },
    });
    expectInvalid(big, 'ConfigMap "k2" is invalid: []: Too long: must have at most 1048576 bytes', [
      { reason: 'FieldValueTooLong', message: 'Too long: must have at most 1048576 bytes', field: '[]' },
    ]);
    expect(
      (await c.req('POST', cms, { metadata: { name: 'k3' }, data: { a: 'x'.repeat(1024 * 1024) } })).status,
    ).toBe(201);
    const dup = await c.req('POST', cms, {
      metadata: { name: 'k4' },
      data: { a: '1' },
      binaryData: { a: 'MQ==' },
    });
    expectInvalid(
      dup,
      'ConfigMap "k4" is invalid: data[a]: Invalid value: "a": duplicate of key present in binaryData',
    );
    const s = await c.req('POST', secrets, {
      metadata: { name: 's-big' },
      data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') },
    });
    expectInvalid(s, 'Secret "s-big" is invalid: data: Too long: must have at most 1048576 bytes');
  });

  it('immutable ConfigMaps and Secrets refuse data changes and un-setting immutable', async () => {
    await c.req('POST', cms, { metadata: { name: 'imm' }, data: { a: '1' }, immutable: true });
    const change = await c.req('PATCH', `${cms}/imm`, { data: { a: '2' } }, merge);
    expectInvalid(
      change,
      'ConfigMap "imm" is invalid: data: Forbidden: field is immutable when `immutable` is set',
      [
        {
          reason: 'FieldValueForbidden',
          message: 'Forbidden: field is immutable when `immutable` is set',
          field: 'data',
        },
      ],
    );
    const unset = await c.req('PATCH', `${cms}/imm`, { immutable: false }, merge);
    expectInvalid(
      unset,
      'ConfigMap "imm" is invalid: immutable: Forbidden: field is immutable when `immutable` is set',
    );
    expect((await c.req('PATCH', `${cms}/imm`, { metadata: { labels: { ok: 'yes' } } }, merge)).status).toBe(
      200,
    );
    await c.req('POST', secrets, { metadata: { name: 'simm' }, stringData: { a: '1' }, immutable: true });
    const sc = await c.req('PATCH', `${secrets}/simm`, { stringData: { a: '2' } }, merge);
    expectInvalid(
      sc,
      'Secret "simm" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    );
  });

  it('the type of a Secret is immutable; typed secrets need their keys', async () => {
    await c.req('POST', secrets, { metadata: { name: 'typed' }, data: { a: 'MQ==' } });
    const r = await c.req('PATCH', `${secrets}/typed`, { type: 'kubernetes.io/tls' }, merge);
    expect(r.status).toBe(422);
    expect(r.json.details.causes[0]).toEqual({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: "kubernetes.io/tls": field is immutable',
      field: 'type',
    });
    const tls = await c.req('POST', secrets, {
      metadata: { name: 'tls' },
      type: 'kubernetes.io/tls',
      data: {},
    });
    expectInvalid(
      tls,
      'Secret "tls" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]',
      [
        { reason: 'FieldValueRequired', message: 'Required value', field: 'data[tls.crt]' },
        { reason: 'FieldValueRequired', message: 'Required value', field: 'data[tls.key]' },
      ],
    );
    const basic = await c.req('POST', secrets, {
      metadata: { name: 'basic' },
      type: 'kubernetes.io/basic-auth',
    });
    expect(basic.json.details.causes.map((x: { field: string }) => x.field)).toEqual([
      'data[%s][username]',
      'data[%s][password]',
    ]);
    const dcj = await c.req('POST', secrets, {
      metadata: { name: 'dcj' },
      type: 'kubernetes.io/dockerconfigjson',
      stringData: { '.dockerconfigjson': 'not json' },
    });
    expect(dcj.json.details.causes[0]).toEqual({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "<secret contents redacted>": invalid character 'n' looking for beginning of value`,
      field: 'data[.dockerconfigjson]',
    });
    const sa = await c.req('POST', secrets, {
      metadata: { name: 'sat' },
      type: 'kubernetes.io/service-account-token',
    });
    expect(sa.json.details.causes[0].field).toBe('metadata.annotations[kubernetes.io/service-account.name]');
  });
});

describe('Deployments', () => {
  it('without a selector: both the required selector and the template mismatch', async () => {
    const r = await c.req('POST', deploys, deployment('nosel', { template: tpl({ app: 'x' }) }));
    expectInvalid(
      r,
      'Deployment.apps "nosel" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`]',
    );
    expect(r.json.details).toMatchObject({ name: 'nosel', group: 'apps', kind: 'Deployment' });
  });

  it('a selector that does not match the template labels, negative replicas, containers without name or image', async () => {
    const mismatch = await c.req(
      'POST',
      deploys,
      deployment('mm', {
        replicas: -1,
        selector: { matchLabels: { app: 'a' } },
        template: tpl({ app: 'b' }, [{}]),
      }),
    );
    expect(mismatch.status).toBe(422);
    expect(mismatch.json.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: -1: must be greater than or equal to 0',
        field: 'spec.replicas',
      },
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
        field: 'spec.template.metadata.labels',
      },
      {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.template.spec.containers[0].name',
      },
      {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.template.spec.containers[0].image',
      },
    ]);
    const empty = await c.req(
      'POST',
      deploys,
      deployment('empty', { selector: {}, template: tpl({ app: 'b' }) }),
    );
    expect(empty.json.message).toBe(
      'Deployment.apps "empty" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    );
  });

  it('spec.selector is immutable on update', async () => {
    const ok = await c.req(
      'POST',
      deploys,
      deployment('immsel', { selector: { matchLabels: { app: 'a' } }, template: tpl({ app: 'a', v: '1' }) }),
    );
    expect(ok.status).toBe(201);
    const r = await c.req(
      'PATCH',
      `${deploys}/immsel`,
      { spec: { selector: { matchLabels: { app: 'a', v: '1' } } } },
      merge,
    );
    expectInvalid(
      r,
      'Deployment.apps "immsel" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"a", "v":"1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it('strategy values: percent strings, both zero', async () => {
    const r = await c.req(
      'POST',
      deploys,
      deployment('strat', {
        selector: { matchLabels: { app: 's' } },
        template: tpl({ app: 's' }),
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 'x' } },
      }),
    );
    expect(r.status).toBe(422);
    expect(r.json.details.causes.map((x: { message: string }) => x.message)).toEqual([
      `Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"x"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
      'Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"x"}: may not be 0 when `maxSurge` is 0',
    ]);
  });
});

describe('Pods', () => {
  it('an invalid pod is 422 (no containers, unsupported restartPolicy, bad port)', async () => {
    const r = await c.req('POST', pods, {
      metadata: { name: 'p-bad' },
      spec: { containers: [], restartPolicy: 'Sometimes' },
    });
    expectInvalid(
      r,
      'Pod "p-bad" is invalid: [spec.containers: Required value, spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"]',
    );
    const port = await c.req('POST', pods, {
      metadata: { name: 'p-port' },
      spec: { containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 70000 }] }] },
    });
    expectInvalid(
      port,
      'Pod "p-port" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    );
  });

  it('spec fields other than images are immutable after create', async () => {
    const created = await c.req('POST', pods, {
      metadata: { name: 'p-imm' },
      spec: { containers: [{ name: 'c', image: 'x:1' }] },
    });
    expect(created.status).toBe(201);
    expect(created.json.spec).toMatchObject({
      serviceAccountName: 'default',
      enableServiceLinks: true,
      priority: 0,
    });
    const image = await c.req(
      'PATCH',
      `${pods}/p-imm`,
      { spec: { containers: [{ name: 'c', image: 'x:2' }] } },
      {
        'content-type': 'application/strategic-merge-patch+json',
      },
    );
    expect(image.status).toBe(200);
    const r = await c.req('PATCH', `${pods}/p-imm`, { spec: { nodeName: 'elsewhere' } }, merge);
    expect(r.status).toBe(422);
    expect(r.json.details.causes).toHaveLength(1);
    expect(r.json.details.causes[0]).toMatchObject({ reason: 'FieldValueForbidden', field: 'spec' });
    expect(r.json.message).toMatch(
      /^Pod "p-imm" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n {2}core.PodSpec\{\n/,
    );
    expect(r.json.message).toContain('+ \tNodeName: "elsewhere",');
    const remove = await c.req(
      'PATCH',
      `${pods}/p-imm`,
      [{ op: 'add', path: '/spec/containers/-', value: { name: 'd', image: 'y' } }],
      {
        'content-type': 'application/json-patch+json',
      },
    );
    expect(remove.json.details.causes).toContainEqual({
      reason: 'FieldValueForbidden',
      message: 'Forbidden: pod updates may not add or remove containers',
      field: 'spec.containers',
    });
  });
});

describe('CustomResourceDefinitions and custom resources', () => {
  const crds = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const crd = (group: string, plural: string, kind: string, schema: Record<string, unknown>) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, kind },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
    },
  });

  it('invalid names are 422', async () => {
    const r = await c.req('POST', crds, {
      ...crd('example.com', 'Gizmos', 'Gizmo', { type: 'object' }),
      metadata: { name: 'wrong.example.com' },
    });
    expect(r.status).toBe(422);
    expect(r.json.message).toMatch(
      /^CustomResourceDefinition\.apiextensions\.k8s\.io "wrong\.example\.com" is invalid: \[/,
    );
    expect(r.json.details.causes.map((x: { field: string }) => x.field)).toEqual([
      'metadata.name',
      'spec.names.plural',
    ]);
    expect(r.json.details.causes[1].message).toBe(
      `Invalid value: "Gizmos": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    );
    expect(r.json.details.causes[0].message).toBe(
      'Invalid value: "wrong.example.com": must be spec.names.plural+"."+spec.group',
    );
  });

  it('a CEL rule that does not compile is 422; one that does is accepted', async () => {
    const schema = (rule: string) => ({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': [{ rule }],
          properties: { n: { type: 'integer' } },
        },
      },
    });
    const bad = await c.req('POST', crds, crd('cel.example.com', 'rules', 'Rule', schema('self.n ==')));
    expect(bad.status).toBe(422);
    expect(bad.json.details.causes).toHaveLength(1);
    expect(bad.json.details.causes[0]).toMatchObject({
      reason: 'FieldValueInvalid',
      field: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule',
    });
    expect(bad.json.details.causes[0].message).toMatch(
      /^Invalid value: apiextensions\.ValidationRule\{Rule:"self\.n ==", Message:"", MessageExpression:"", Reason:\(\*apiextensions\.FieldValueErrorReason\)\(nil\), FieldPath:""\}: compilation failed: ERROR: <input>:1:\d+: Syntax error: /,
    );
    expect(
      (await c.req('POST', crds, crd('cel.example.com', 'rules', 'Rule', schema('self.n > 0')))).status,
    ).toBe(201);
  });

  it('a custom resource of the wrong kind in the body is 422', async () => {
    await c.req(
      'POST',
      crds,
      crd('kinds.example.com', 'things', 'Thing', {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
      }),
    );
    const base = '/apis/kinds.example.com/v1/namespaces/default/things';
    for (let i = 0; i < 100 && (await c.req('GET', base)).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 20));
    const r = await c.req('POST', base, {
      apiVersion: 'kinds.example.com/v1',
      kind: 'Other',
      metadata: { name: 't' },
    });
    expectInvalid(r, 'Thing.kinds.example.com "t" is invalid: kind: Invalid value: "Other": must be Thing', [
      { reason: 'FieldValueInvalid', message: 'Invalid value: "Other": must be Thing', field: 'kind' },
    ]);
    const badName = await c.req('POST', base, {
      apiVersion: 'kinds.example.com/v1',
      kind: 'Thing',
      metadata: { name: 'T_1' },
    });
    expect(badName.json.details.causes[0]).toMatchObject({
      field: 'metadata.name',
      reason: 'FieldValueInvalid',
    });
  });
});

describe('updates', () => {
  it('a PodDisruptionBudget update passes the metadata update rules, then its spec checks', async () => {
    const pdbs = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
    const created = await c.req('POST', pdbs, { metadata: { name: 'upd' }, spec: { minAvailable: 1 } });
    expect(created.status, created.text).toBe(201);
    const labelled = await c.req('PATCH', `${pdbs}/upd`, { metadata: { labels: { a: 'b' } } }, merge);
    expect(labelled.status, labelled.text).toBe(200);
    const both = await c.req('PATCH', `${pdbs}/upd`, { spec: { maxUnavailable: 1 } }, merge);
    expectInvalid(
      both,
      'PodDisruptionBudget.policy "upd" is invalid: spec: Invalid value: policy.PodDisruptionBudgetSpec{…}: minAvailable and maxUnavailable cannot be both set',
    );
  });
});
