/**
 * Services as kube-apiserver v1.28 allocates and validates them: ClusterIPs from the service CIDR,
 * NodePorts, the allocator's 422s, immutability, headless Services, release on delete, PUT-create,
 * DELETE answering with the object, and the `default/kubernetes` Service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, type TestCluster } from '../test-support.js';

const svcs = '/api/v1/namespaces/default/services';
const merge = { 'content-type': 'application/merge-patch+json' };
const svc = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec,
});
const inCidr = (ip: string) => /^10\.96\.\d{1,3}\.\d{1,3}$/.test(ip);

describe('Service allocation and validation', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await testCluster();
  });
  afterAll(() => c.close());

  it('allocates a ClusterIP from 10.96.0.0/16 with the real defaults', async () => {
    const r = await c.req('POST', svcs, svc('a', { selector: { app: 'a' }, ports: [{ port: 80 }] }));
    expect(r.status).toBe(201);
    const spec = r.json.spec;
    expect(inCidr(spec.clusterIP)).toBe(true);
    expect(spec.clusterIP).not.toBe('10.96.0.1');
    expect(spec).toMatchObject({
      clusterIPs: [spec.clusterIP],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
    });
    expect(Object.keys(spec)).toEqual([
      'ports',
      'selector',
      'clusterIP',
      'clusterIPs',
      'type',
      'sessionAffinity',
      'ipFamilies',
      'ipFamilyPolicy',
      'internalTrafficPolicy',
    ]);
    expect(r.json.status).toEqual({ loadBalancer: {} });
  });

  it('a requested ClusterIP is used; a duplicate or out-of-range one is the allocator 422', async () => {
    expect(
      (await c.req('POST', svcs, svc('b', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] }))).json.spec
        .clusterIPs,
    ).toEqual(['10.96.0.50']);
    const dup = await c.req('POST', svcs, svc('b2', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] }));
    expect(dup.status).toBe(422);
    expect(dup.json.message).toBe(
      'Service "b2" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.50"}: failed to allocate IP 10.96.0.50: provided IP is already allocated',
    );
    expect(dup.json.details).toEqual({
      name: 'b2',
      kind: 'Service',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: []string{"10.96.0.50"}: failed to allocate IP 10.96.0.50: provided IP is already allocated',
          field: 'spec.clusterIPs',
        },
      ],
    });
    const out = await c.req('POST', svcs, svc('b3', { clusterIP: '10.97.0.1', ports: [{ port: 80 }] }));
    expect(out.json.message).toBe(
      'Service "b3" is invalid: spec.clusterIPs: Invalid value: []string{"10.97.0.1"}: failed to allocate IP 10.97.0.1: the provided IP (10.97.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    );
    const bad = await c.req('POST', svcs, svc('b4', { clusterIP: 'nope', ports: [{ port: 80 }] }));
    expect(bad.json.message).toBe(
      'Service "b4" is invalid: spec.clusterIPs[0]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    );
  });

  it('allocates NodePorts in 30000-32767 for NodePort and LoadBalancer; a taken or out-of-range one is 422', async () => {
    const np = (
      await c.req(
        'POST',
        svcs,
        svc('np', {
          type: 'NodePort',
          ports: [{ port: 80 }, { port: 81, name: 'b' }].map((p, i) => ({ ...p, name: `p${i}` })),
        }),
      )
    ).json;
    const ports = np.spec.ports.map((p: { nodePort: number }) => p.nodePort);
    expect(ports.every((p: number) => p >= 30000 && p <= 32767)).toBe(true);
    expect(new Set(ports).size).toBe(2);
    expect(np.spec.externalTrafficPolicy).toBe('Cluster');
    const lb = (await c.req('POST', svcs, svc('lb', { type: 'LoadBalancer', ports: [{ port: 443 }] }))).json;
    expect(lb.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(lb.spec.allocateLoadBalancerNodePorts).toBe(true);
    const taken = await c.req(
      'POST',
      svcs,
      svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: ports[0] }] }),
    );
    expect(taken.status).toBe(422);
    expect(taken.json.message).toBe(
      `Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: ${ports[0]}: provided port is already allocated`,
    );
    const range = await c.req(
      'POST',
      svcs,
      svc('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }),
    );
    expect(range.json.message).toBe(
      'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    const onClusterIP = await c.req('POST', svcs, svc('np4', { ports: [{ port: 80, nodePort: 30999 }] }));
    expect(onClusterIP.json.message).toBe(
      'Service "np4" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ClusterIP\'',
    );
  });

  it('several ports need names', async () => {
    const r = await c.req('POST', svcs, svc('multi', { ports: [{ port: 80 }, { port: 443 }] }));
    expect(r.status).toBe(422);
    expect(r.json.message).toBe(
      'Service "multi" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]',
    );
    expect(r.json.details.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[0].name' },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[1].name' },
    ]);
  });

  it('clusterIP is immutable; a PUT without it keeps the allocated one', async () => {
    const created = (await c.req('POST', svcs, svc('imm', { ports: [{ port: 80 }] }))).json;
    const ip = created.spec.clusterIP as string;
    const other = ip === '10.96.200.200' ? '10.96.200.201' : '10.96.200.200';
    const r = await c.req('PATCH', `${svcs}/imm`, { spec: { clusterIP: other } }, merge);
    expect(r.status).toBe(422);
    expect(r.json.message).toBe(
      `Service "imm" is invalid: spec.clusterIPs[0]: Invalid value: []string{"${other}"}: may not change once set`,
    );
    const put = await c.req('PUT', `${svcs}/imm`, svc('imm', { ports: [{ port: 8080 }] }));
    expect(put.status).toBe(200);
    expect(put.json.spec).toMatchObject({
      clusterIP: ip,
      clusterIPs: [ip],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
  });

  it('headless Services keep None (RequireDualStack without a selector, like a single-stack cluster)', async () => {
    const h = (
      await c.req(
        'POST',
        svcs,
        svc('hl', { clusterIP: 'None', selector: { app: 'x' }, ports: [{ port: 80 }] }),
      )
    ).json;
    expect(h.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilyPolicy: 'SingleStack' });
    const n = (await c.req('POST', svcs, svc('hl2', { clusterIP: 'None' }))).json;
    expect(n.spec).toMatchObject({
      clusterIP: 'None',
      clusterIPs: ['None'],
      ipFamilyPolicy: 'RequireDualStack',
      ipFamilies: ['IPv4'],
    });
    const ext = (await c.req('POST', svcs, svc('ext', { type: 'ExternalName', externalName: 'example.com' })))
      .json;
    expect(ext.spec.clusterIP).toBeUndefined();
    expect(ext.spec.ipFamilies).toBeUndefined();
  });

  it('DELETE answers with the Service and releases its ClusterIP and NodePorts', async () => {
    const first = (
      await c.req(
        'POST',
        svcs,
        svc('rel', { type: 'NodePort', clusterIP: '10.96.0.77', ports: [{ port: 80, nodePort: 31777 }] }),
      )
    ).json;
    expect(first.spec.clusterIP).toBe('10.96.0.77');
    const d = await c.req('DELETE', `${svcs}/rel`);
    expect(d.status).toBe(200);
    expect(d.json).toMatchObject({
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'rel', uid: first.metadata.uid },
    });
    const again = await c.req(
      'POST',
      svcs,
      svc('rel2', { type: 'NodePort', clusterIP: '10.96.0.77', ports: [{ port: 80, nodePort: 31777 }] }),
    );
    expect(again.status).toBe(201);
  });

  it('PUT creates a Service (201)', async () => {
    const r = await c.req('PUT', `${svcs}/put-made`, svc('put-made', { ports: [{ port: 80 }] }));
    expect(r.status).toBe(201);
    expect(inCidr(r.json.spec.clusterIP)).toBe(true);
    expect(r.json.metadata.managedFields[0].operation).toBe('Update');
  });

  it('dry-run allocates nothing', async () => {
    const r = await c.req(
      'POST',
      `${svcs}?dryRun=All`,
      svc('dry', { clusterIP: '10.96.0.88', ports: [{ port: 80 }] }),
    );
    expect(r.status).toBe(201);
    expect(
      (await c.req('POST', svcs, svc('dry2', { clusterIP: '10.96.0.88', ports: [{ port: 80 }] }))).status,
    ).toBe(201);
  });

  it('the default/kubernetes Service, Endpoints and EndpointSlice point at the server', async () => {
    const port = Number(new URL(c.url).port);
    const k = (await c.req('GET', `${svcs}/kubernetes`)).json;
    expect(k.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    expect(k.spec).toMatchObject({
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: port }],
      type: 'ClusterIP',
      ipFamilyPolicy: 'SingleStack',
    });
    const ep = (await c.req('GET', '/api/v1/namespaces/default/endpoints/kubernetes')).json;
    expect(ep.subsets).toEqual([
      { addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port, protocol: 'TCP' }] },
    ]);
    const slice = (
      await c.req('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')
    ).json;
    expect(slice).toMatchObject({
      addressType: 'IPv4',
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
    });
  });
});

describe('serviceCIDR option', () => {
  it('allocates from the configured CIDR, the kubernetes Service takes its first IP', async () => {
    const c = await testCluster({ serviceCIDR: '10.100.0.0/24' });
    try {
      expect((await c.req('GET', `${svcs}/kubernetes`)).json.spec.clusterIP).toBe('10.100.0.1');
      const ip = (await c.req('POST', svcs, svc('x', { ports: [{ port: 80 }] }))).json.spec
        .clusterIP as string;
      expect(ip).toMatch(/^10\.100\.0\.\d+$/);
    } finally {
      await c.close();
    }
  });
});
