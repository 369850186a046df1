/**
 * Entry point of the embedded control plane's own process (started by launch.ts). Receives its
 * options over IPC, reports {url, token, caPem} back, and exits when the parent goes away.
 */
import { startClusterServer, type ApiServer, type ClusterServerOptions } from './server.js';
import { handleProcessMessage, type ProcessMessage } from './process-registry.js';

interface StartMessage {
  type: 'start';
  options: ClusterServerOptions;
}

if (!process.send) {
  process.stderr.write(
    'kubeperf cluster child: must be started by launchEmbeddedCluster (needs an IPC channel)\n',
  );
  process.exit(2);
}

let closing: Promise<void> | undefined;
let close: (() => Promise<void>) | undefined;
let api: ApiServer | undefined;

const shutdown = (code: number): void => {
  if (!closing) closing = (close ? close() : Promise.resolve()).finally(() => process.exit(code));
};

// Orphan protection: parent exit closes the IPC channel; also poll the parent pid in case it is kept.
process.on('disconnect', () => shutdown(0));
const parentPid = process.ppid;
const watchParent = setInterval(() => {
  try {
    process.kill(parentPid, 0);
  } catch {
    shutdown(0);
  }
}, 1000);
watchParent.unref();
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));

process.on('message', (msg: StartMessage | { type: 'stop' } | ProcessMessage) => {
  if (handleProcessMessage(msg, api?.containers, (m) => process.send!(m))) return;
  if (msg.type === 'stop') {
    shutdown(0);
    return;
  }
  if (msg.type === 'start') {
    startClusterServer(msg.options).then(
      (s) => {
        close = s.close;
        api = s.api;
        process.send!({ type: 'ready', url: s.url, token: s.token, caPem: s.caPem });
      },
      (e: unknown) => {
        process.send!({ type: 'error', message: e instanceof Error ? e.message : String(e) });
        shutdown(1);
      },
    );
  }
});
process.send({ type: 'hello' });
