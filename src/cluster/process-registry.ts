/**
 * Registering processes with the embedded control plane's container metrics over the launch IPC
 * channel: a study that starts a simulated controller in its own process calls
 * `cluster.registerProcess({pid, namespace, pod, container})` (launch.ts), and the controller's CPU and
 * memory appear at /metrics/cadvisor like a pod's. Both ends of the exchange live here.
 */
import type { ChildProcess } from 'node:child_process';
import type { ContainerMetrics, ContainerProcess } from './http/cadvisor.js';

export type ProcessMessage =
  | { type: 'registerProcess'; id: number; process: ContainerProcess }
  | { type: 'unregisterProcess'; id: number; pid: number };

type Reply = { type: 'processAck'; id: number; error?: string };

/** Child side: answers a ProcessMessage; false when `msg` is not one. */
export function handleProcessMessage(
  msg: { type: string },
  containers: ContainerMetrics | undefined,
  send: (m: Reply) => void,
): boolean {
  if (msg.type !== 'registerProcess' && msg.type !== 'unregisterProcess') return false;
  const m = msg as ProcessMessage;
  try {
    if (!containers) throw new Error('the control plane is not started yet');
    if (m.type === 'registerProcess') containers.register(m.process);
    else containers.unregister(m.pid);
    send({ type: 'processAck', id: m.id });
  } catch (e) {
    send({ type: 'processAck', id: m.id, error: (e as Error).message });
  }
  return true;
}

/** Parent side: sends a message and resolves when the child has applied it. */
export function processClient(child: ChildProcess) {
  let next = 1;
  let pending = 0;
  const call = (m: ProcessMessage) =>
    new Promise<void>((resolve, reject) => {
      if (!child.connected) return reject(new Error('the embedded control plane is not running'));
      // The launcher unrefs the IPC channel; a pending call must keep this process alive until the
      // answer arrives, or an otherwise idle event loop exits with the run half done.
      child.channel?.ref();
      const onMessage = (r: Reply) => {
        if (r?.type !== 'processAck' || r.id !== m.id) return;
        child.off('message', onMessage);
        if (--pending === 0) child.channel?.unref();
        if (r.error) reject(new Error(r.error));
        else resolve();
      };
      pending++;
      child.on('message', onMessage);
      child.send(m);
    });
  return {
    registerProcess: (p: ContainerProcess) => call({ type: 'registerProcess', id: next++, process: p }),
    unregisterProcess: (pid: number) => call({ type: 'unregisterProcess', id: next++, pid }),
  };
}
