/**
 * Query parameters and options as kube-apiserver v1.28 decodes and validates them. Expected bodies
 * are the captured samples where they exist (testdata/samples) and otherwise built from the
 * apimachinery code that produces them (runtime.Convert_Slice_string_To_bool, strconv.ParseInt,
 * metav1 validation's field.ErrorList, etcd3 store errors).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cm, testCluster, type Reply, type TestCluster } from '../test-support.js';

let c: TestCluster;
beforeAll(async () => {
  c = await testCluster();
  await c.req('POST', base, cm('existing'));
});
afterAll(() => c.close());

const base = '/api/v1/namespaces/default/configmaps';
const sample = (name: string): string =>
  readFileSync(new URL(`../testdata/samples/${name}`, import.meta.url), 'utf8');

/** Same JSON text as the sample, key order included. */
function expectSample(r: Reply, file: string): void {
  expect(JSON.stringify(r.json)).toBe(JSON.stringify(JSON.parse(sample(file))));
}

function invalid(kind: string, causes: { reason: string; message: string; field: string }[]) {
  const msgs = [...new Set(causes.map((x) => `${x.field}: ${x.message}`))];
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${kind}.meta.k8s.io "" is invalid: ${msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`}`,
    reason: 'Invalid',
    details: { group: 'meta.k8s.io', kind, causes },
    code: 422,
  };
}

const badRequest = (message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason: 'BadRequest',
  code: 400,
});

/** First line of a watch (or the whole body of a list) within a short timeout. */
async function firstLine(path: string): Promise<{ status: number; line: string }> {
  const ctl = new AbortController();
  const r = await fetch(c.url + path, {
    headers: { authorization: `Bearer ${c.token}` },
    signal: ctl.signal,
  });
  const reader = r.body!.getReader();
  let text = '';
  while (!text.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString();
  }
  ctl.abort();
  return { status: r.status, line: text.split('\n')[0]! };
}

describe('boolean query parameters (Go: only "0" and "false" in any case are false)', () => {
  it('watch=1|t|T|TRUE|true|True streams; 0|false|FALSE|False lists', async () => {
    for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True']) {
      const r = await firstLine(`${base}?watch=${v}&timeoutSeconds=5`);
      expect(JSON.parse(r.line)).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'existing' } } });
    }
    for (const v of ['0', 'false', 'FALSE', 'False']) {
      const r = await c.req('GET', `${base}?watch=${v}`);
      expect(r.json.kind).toBe('ConfigMapList');
    }
  });

  it('pretty is strconv.ParseBool with errors ignored; force is a boolean too', async () => {
    expect((await c.req('GET', `${base}/existing?pretty=T`)).text).toMatch(/^{\n {2}"kind"/);
    expect((await c.req('GET', `${base}/existing?pretty=yes`)).text).toMatch(/^{"kind"/);
    const apply = await c.req(
      'PATCH',
      `${base}/forced?fieldManager=a&force=True`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: forced\n',
      { 'content-type': 'application/apply-patch+yaml' },
    );
    expect(apply.status).toBe(201);
  });
});

describe('options validation (422 with every cause)', () => {
  it('dryRun other than All, per verb', async () => {
    const cause = {
      reason: 'FieldValueNotSupported',
      message: 'Unsupported value: []string{"Nope", "All"}: supported values: "All"',
      field: 'dryRun',
    };
    expect((await c.req('POST', `${base}?dryRun=Nope&dryRun=All`, cm('d1'))).json).toEqual(
      invalid('CreateOptions', [cause]),
    );
    const put = await c.req('PUT', `${base}/existing?dryRun=Nope&dryRun=All`, cm('existing'));
    expect(put.json).toEqual(invalid('UpdateOptions', [cause]));
    const patch = await c.req('PATCH', `${base}/existing?dryRun=Nope&dryRun=All`, '{}', {
      'content-type': 'application/merge-patch+json',
    });
    expect(patch.json).toEqual(invalid('PatchOptions', [cause]));
    const del = await c.req('DELETE', `${base}/existing?dryRun=Nope&dryRun=All`);
    expect(del.json).toEqual(invalid('DeleteOptions', [cause]));
    // A dry run really is one.
    expect((await c.req('POST', `${base}?dryRun=All`, cm('dry'))).status).toBe(201);
    expect((await c.req('GET', `${base}/dry`)).status).toBe(404);
  });

  it('fieldValidation, fieldManager, force on a non-apply patch, apply without fieldManager', async () => {
    expect((await c.req('POST', `${base}?fieldValidation=strict`, cm('fv'))).json).toEqual(
      invalid('CreateOptions', [
        {
          reason: 'FieldValueNotSupported',
          message: 'Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
          field: 'fieldValidation',
        },
      ]),
    );
    expect((await c.req('POST', `${base}?fieldManager=${'m'.repeat(129)}`, cm('fm'))).json).toEqual(
      invalid('CreateOptions', [
        {
          reason: 'FieldValueTooLong',
          message: 'Too long: must have at most 128 bytes',
          field: 'fieldManager',
        },
      ]),
    );
    const forced = await c.req('PATCH', `${base}/existing?force=false`, '{}', {
      'content-type': 'application/merge-patch+json',
    });
    expect(forced.json).toEqual(
      invalid('PatchOptions', [
        {
          reason: 'FieldValueForbidden',
          message: 'Forbidden: may not be specified for non-apply patch',
          field: 'force',
        },
      ]),
    );
    // An unknown patch type is the 415 the handler gives first.
    expect((await c.req('PATCH', `${base}/existing?force=true`, '{}')).status).toBe(415);
    const noManager = await c.req('PATCH', `${base}/existing`, '{}', {
      'content-type': 'application/apply-patch+yaml',
    });
    expectSample(noManager, 'status-422-ssa-missing-fieldManager.json');
  });

  it('DeleteOptions: query decoding (400) only without a body; orphanDependents with a policy (422)', async () => {
    await c.req('POST', base, cm('del1'));
    expect((await c.req('DELETE', `${base}/del1?gracePeriodSeconds=abc`)).json).toEqual(
      badRequest('strconv.ParseInt: parsing "abc": invalid syntax'),
    );
    expect(
      (await c.req('DELETE', `${base}/del1?orphanDependents=true&propagationPolicy=Background`)).json,
    ).toEqual(
      invalid('DeleteOptions', [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set',
          field: 'propagationPolicy',
        },
      ]),
    );
    expectSample(
      await c.req('DELETE', `${base}/del1`, { propagationPolicy: 'Sideways' }),
      'status-422-delete-invalid-propagationPolicy.json',
    );
    // With a body the query is not read at all (kubectl sends {"propagationPolicy":"Background"}).
    const ok = await c.req('DELETE', `${base}/del1?gracePeriodSeconds=abc`, {
      propagationPolicy: 'Background',
    });
    expect(ok.status).toBe(200);
  });

  it('ListOptions causes for lists and watches, as captured', async () => {
    expectSample(
      await c.req('GET', `${base}?resourceVersionMatch=Exact`),
      'status-422-invalid-listoptions-resourceVersionMatch-without-rv.json',
    );
    expectSample(
      await c.req(
        'GET',
        `${base}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
      ),
      'status-422-watch-sendInitialEvents-without-WatchList-gate.json',
    );
    expectSample(
      await c.req('GET', `${base}?watch=true&resourceVersion=0&resourceVersionMatch=NotOlderThan`),
      'status-422-watch-resourceVersionMatch-without-sendInitialEvents.json',
    );
    // list-resourceVersion-semantics.txt: an unknown value is NotSupported, with "" among the values.
    const bogus = await c.req('GET', `${base}?resourceVersion=446&resourceVersionMatch=Bogus`);
    expect(bogus.text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ListOptions.meta.k8s.io \\"\\" is invalid: resourceVersionMatch: Unsupported value: \\"Bogus\\": supported values: \\"Exact\\", \\"NotOlderThan\\", \\"\\"","reason":"Invalid","details":{"group":"meta.k8s.io","kind":"ListOptions","causes":[{"reason":"FieldValueNotSupported","message":"Unsupported value: \\"Bogus\\": supported values: \\"Exact\\", \\"NotOlderThan\\", \\"\\"","field":"resourceVersionMatch"}]},"code":422}\n',
    );
    // Several problems: every cause, in kube-apiserver's order.
    const many = await c.req(
      'GET',
      `${base}?resourceVersionMatch=Bogus&continue=abc&sendInitialEvents=false`,
    );
    expect(many.json.details.causes.map((x: { message: string }) => x.message)).toEqual([
      'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      'Forbidden: resourceVersionMatch is forbidden when continue is provided',
      'Unsupported value: "Bogus": supported values: "Exact", "NotOlderThan", ""',
      'Forbidden: sendInitialEvents is forbidden for list',
    ]);
    expect((await c.req('GET', `${base}?watch=1&timeoutSeconds=soon`)).json).toEqual(
      badRequest('strconv.ParseInt: parsing "soon": invalid syntax'),
    );
  });
});

describe('resource versions and preconditions', () => {
  it('GET and LIST at a future resourceVersion: 504 Too large resource version after the wait', async () => {
    const current = Number((await c.req('GET', base)).json.metadata.resourceVersion);
    const [get, list] = await Promise.all([
      c.req('GET', `${base}/existing?resourceVersion=99999999`),
      c.req('GET', `${base}?resourceVersion=99999999`),
    ]);
    const want = JSON.parse(sample('status-504-too-large-resourceVersion-list.json'));
    for (const r of [get, list]) {
      expect(r.status).toBe(504);
      expect(r.headers.get('retry-after')).toBe('1');
      expect(JSON.stringify(r.json)).toBe(
        JSON.stringify({
          ...want,
          message: `Timeout: Too large resource version: 99999999, current: ${current}`,
        }),
      );
    }
    expect((await c.req('GET', `${base}/existing?resourceVersion=abc`)).json).toMatchObject({
      message: 'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
      code: 500,
    });
  });

  it('create with metadata.resourceVersion set: 500 from the storage layer (unless it is 0 or not a number)', async () => {
    const withRv = (name: string, resourceVersion: string) => ({
      ...(cm(name) as object),
      metadata: { name, resourceVersion },
    });
    const r = await c.req('POST', base, withRv('rv1', '12'));
    expect(r.text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"resourceVersion should not be set on objects to be created","code":500}\n',
    );
    expect((await c.req('POST', base, withRv('rv2', '0'))).status).toBe(201);
    expect((await c.req('POST', base, withRv('rv3', '-1'))).status).toBe(201);
    expect((await c.req('POST', `${base}?dryRun=All`, withRv('rv4', '12'))).status).toBe(201);
  });

  it('update whose metadata.uid differs from the stored one: 409 with the storage precondition error', async () => {
    const cur = (await c.req('GET', `${base}/existing`)).json;
    const other = { ...cur, metadata: { ...cur.metadata, uid: '00000000-0000-0000-0000-000000000000' } };
    const r = await c.req('PUT', `${base}/existing`, other);
    expect(r.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Operation cannot be fulfilled on configmaps "existing": StorageError: invalid object, Code: 4, Key: /registry/configmaps/default/existing, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: ${cur.metadata.uid}`,
      reason: 'Conflict',
      details: { name: 'existing', kind: 'configmaps' },
      code: 409,
    });
    expect((await c.req('PUT', `${base}/existing`, { ...cur, data: { k: 'w' } })).status).toBe(200);
  });
});

describe('strict decoding (fieldValidation)', () => {
  const dup =
    '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"NAME","labels":{"a":"1","a":"2"}},"data":{"k":"v"},"data":{"k":"w"}}';
  it('Warn (the default): duplicate fields and unknown metadata fields are Warning headers', async () => {
    const r = await c.req('POST', base, dup.replace('NAME', 'dup1'));
    expect(r.status).toBe(201);
    expect(r.headers.get('warning')).toBe(
      '299 - "duplicate field \\"metadata.labels.a\\"", 299 - "duplicate field \\"data\\""',
    );
    expect([r.json.metadata.labels, r.json.data]).toEqual([{ a: '2' }, { k: 'w' }]);
    const meta = await c.req('POST', base, { metadata: { name: 'unk1', bogus: 1 }, data: {} });
    expect(meta.headers.get('warning')).toBe('299 - "unknown field \\"metadata.bogus\\""');
    expect(meta.json.metadata.bogus).toBeUndefined();
    const ignore = await c.req('POST', `${base}?fieldValidation=Ignore`, dup.replace('NAME', 'dup2'));
    expect(ignore.headers.get('warning')).toBeNull();
  });

  it('Strict: 400 naming every problem', async () => {
    const r = await c.req('POST', `${base}?fieldValidation=Strict`, dup.replace('NAME', 'dup3'));
    expect(r.json).toEqual(
      badRequest(
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.labels.a", duplicate field "data"',
      ),
    );
    const meta = await c.req('POST', `${base}?fieldValidation=Strict`, { metadata: { name: 'x', bogus: 1 } });
    expect(meta.json.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.bogus"',
    );
  });
});
