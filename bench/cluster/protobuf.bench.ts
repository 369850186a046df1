/**
 * Encode and decode cost per object, protobuf (src/cluster/api/protobuf.ts, driven by the type
 * table) against JSON, for a small ConfigMap and a Pod as the simulated kubelet leaves it (status,
 * managedFields). In-process, CPU time (process.cpuUsage) over many iterations; both codecs are
 * measured in the same run, so the ratio is the figure to watch on a busy machine.
 * Target: protobuf encoding costs at most 3× JSON.stringify (client-go's default Accept asks for it).
 */
import { decodeProtobuf, encodeEnvelope } from '../../src/cluster/api/protobuf.js';
import { round } from './lib.js';

const configMap = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: {
    name: 'cm-12345',
    namespace: 'default',
    uid: '6f1c1c6e-8a8f-4f7b-9c55-2b1d7e3a9c10',
    resourceVersion: '123456',
    creationTimestamp: '2026-11-22T19:22:24Z',
    labels: { app: 'bench' },
    managedFields: [
      {
        manager: 'kubeperf',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-11-22T19:22:24Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:data': { '.': {}, 'f:k': {} },
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        },
      },
    ],
  },
  data: { k: 'v' },
};

const pod = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    name: 'web-7d4b9c8f6d-x2x9q',
    generateName: 'web-7d4b9c8f6d-',
    namespace: 'default',
    uid: '0b8d2a36-5c1e-4e7a-9f0d-6f3e2b1c4d5a',
    resourceVersion: '987654',
    creationTimestamp: '2026-11-22T19:22:24Z',
    labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'web-7d4b9c8f6d',
        uid: '1a2b3c4d-0000-4000-8000-000000000001',
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
    managedFields: [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-11-22T19:22:24Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': {
            'f:generateName': {},
            'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} },
          },
          'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    ],
  },
  spec: {
    volumes: [
      {
        name: 'kube-api-access-abcde',
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          ],
          defaultMode: 420,
        },
      },
    ],
    containers: [
      {
        name: 'web',
        image: 'nginx:1.25',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        ],
        volumeMounts: [
          {
            name: 'kube-api-access-abcde',
            readOnly: true,
            mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
          },
        ],
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
      },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    serviceAccount: 'default',
    nodeName: 'kubeperf-node-0',
    securityContext: {},
    schedulerName: 'default-scheduler',
    tolerations: [
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ],
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  },
  status: {
    phase: 'Running',
    conditions: [
      {
        type: 'Initialized',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2026-11-22T19:22:24Z',
      },
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-22T19:22:25Z' },
      {
        type: 'ContainersReady',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2026-11-22T19:22:25Z',
      },
      {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2026-11-22T19:22:24Z',
      },
    ],
    hostIP: '10.0.0.1',
    podIP: '10.244.0.12',
    podIPs: [{ ip: '10.244.0.12' }],
    startTime: '2026-11-22T19:22:24Z',
    containerStatuses: [
      {
        name: 'web',
        state: { running: { startedAt: '2026-11-22T19:22:25Z' } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image: 'nginx:1.25',
        imageID: 'docker.io/library/nginx@sha256:0000',
        containerID: 'containerd://0000',
        started: true,
      },
    ],
    qosClass: 'Burstable',
  },
};

function cpuMicros(iterations: number, f: () => unknown): number {
  for (let i = 0; i < Math.min(2000, iterations); i++) f(); // warm-up (JIT)
  const t0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) f();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / iterations;
}

const results = [];
for (const [name, obj, n] of [
  ['configmap', configMap, 200_000],
  ['pod', pod, 40_000],
] as const) {
  const json = cpuMicros(n, () => JSON.stringify(obj));
  const pb = cpuMicros(n, () => encodeEnvelope(obj));
  const text = JSON.stringify(obj);
  const bytes = encodeEnvelope(obj)!;
  const jsonDecode = cpuMicros(n, () => JSON.parse(text));
  const pbDecode = cpuMicros(n, () => decodeProtobuf(bytes, obj.kind));
  const ratio = pb / json;
  results.push(
    { name: `${name} JSON encode`, value: round(json, 2), unit: 'µs' },
    { name: `${name} protobuf encode`, value: round(pb, 2), unit: 'µs' },
    {
      name: `${name} protobuf/JSON encode ratio`,
      value: round(ratio, 2),
      unit: 'x',
      target: 3,
      pass: ratio <= 3,
    },
    { name: `${name} JSON decode`, value: round(jsonDecode, 2), unit: 'µs' },
    { name: `${name} protobuf decode`, value: round(pbDecode, 2), unit: 'µs' },
    { name: `${name} size JSON`, value: Buffer.byteLength(text), unit: 'bytes' },
    { name: `${name} size protobuf`, value: bytes.length, unit: 'bytes' },
  );
}
process.stdout.write(
  JSON.stringify({
    bench: 'cluster/protobuf',
    results,
    notes:
      'in-process CPU time per object (process.cpuUsage); served objects are encoded once per stored state and the bytes reused by every GET and watcher',
  }) + '\n',
);
if (results.some((r) => 'pass' in r && r.pass === false)) process.exitCode = 3;
