/**
 * The one hook through which controller processes are announced to whatever measures per-process
 * CPU and memory on the target (the embedded control plane's cAdvisor-style endpoint:
 * EmbeddedCluster.registerProcess({pid, namespace, pod, container})). The run installs the
 * registrar when it starts the embedded control plane; phases call registerControllerProcess for
 * every controller they launch. Without a registrar nothing is recorded and the call says so.
 */
export interface ProcessRegistration {
  pid: number;
  namespace: string;
  pod: string;
  container: string;
}

export type ProcessRegistrar = (p: ProcessRegistration) => void;

let registrar: ProcessRegistrar | undefined;

/** Installed by the run for the embedded control plane (undefined to remove). */
export function setProcessRegistrar(fn: ProcessRegistrar | undefined): void {
  registrar = fn;
}

/** Returns whether a registrar took the process. */
export function registerControllerProcess(p: ProcessRegistration): boolean {
  if (!registrar) return false;
  registrar(p);
  return true;
}
