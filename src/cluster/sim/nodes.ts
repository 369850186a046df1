/**
 * Simulated nodes (KWOK-like): Ready, with capacity, never running anything for real.
 */
import type { ApiContext } from '../api/context.js';
import { nowSeconds } from '../api/objects.js';
import { create } from './controller-kit.js';

export const simulatedNodePrefix = 'kubeperf-node-';

export function nodeIp(i: number): string {
  return `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`;
}

export function createNodes(ctx: ApiContext, count: number): string[] {
  const rt = ctx.registry.get('v1', 'nodes')!;
  const names: string[] = [];
  const now = nowSeconds();
  for (let i = 0; i < count; i++) {
    const name = `${simulatedNodePrefix}${i}`;
    const capacity = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '500Gi' };
    create(ctx, rt, '', 'kubeperf-simulator', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'node-role.kubernetes.io/agent': '',
          // Workloads written for real clusters (kube-burner's kubelet-density) select worker nodes.
          'node-role.kubernetes.io/worker': '',
          type: 'kwok',
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
      },
      spec: {},
      status: {
        capacity,
        allocatable: capacity,
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status (simulated by kubeperf)',
          },
          {
            type: 'MemoryPressure',
            status: 'False',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
            reason: 'KubeletHasSufficientMemory',
            message: 'kubelet has sufficient memory available',
          },
          {
            type: 'DiskPressure',
            status: 'False',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
            reason: 'KubeletHasNoDiskPressure',
            message: 'kubelet has no disk pressure',
          },
          {
            type: 'PIDPressure',
            status: 'False',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
            reason: 'KubeletHasSufficientPID',
            message: 'kubelet has sufficient PID available',
          },
        ],
        addresses: [
          { type: 'InternalIP', address: nodeIp(i) },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: {
          architecture: 'amd64',
          operatingSystem: 'linux',
          kubeletVersion: 'v1.28.7-kubeperf',
          kubeProxyVersion: 'v1.28.7-kubeperf',
          containerRuntimeVersion: 'kubeperf://simulated',
          osImage: 'kubeperf simulated node',
          kernelVersion: '',
          machineID: '',
          systemUUID: '',
          bootID: '',
        },
        phase: 'Running',
      },
    });
    names.push(name);
  }
  return names;
}
