/**
 * Entry point of a controller's own process (forked by launch.ts): receives what to run over IPC,
 * hosts it (host.ts), reports its /metrics URL, and exits when told to or when its parent goes away,
 * so a controller never outlives the run that started it.
 */
import { InputError } from '../../core/errors.js';
import { createLogger, type LogLevel } from '../../core/logger.js';
import { hostController, type HostedController } from './host.js';

export interface StartMessage {
  type: 'start';
  name: string;
  kubeconfig: string;
  context?: string;
  options?: Record<string, unknown>;
  metricsPort?: number;
  logLevel?: LogLevel;
}

export type ChildReply =
  | { type: 'hello' }
  | { type: 'ready'; metricsUrl: string }
  | { type: 'error'; message: string; badInput: boolean; problems?: string[]; hint?: string };

if (!process.send) {
  process.stderr.write(
    'kubeperf controller child: must be started by launchController (needs an IPC channel)\n',
  );
  process.exit(2);
}
const send = (m: ChildReply) => process.send!(m);

let hosted: HostedController | undefined;
let closing: Promise<void> | undefined;
/** Graceful stop (in-flight reconciles finish), bounded: a controller must never outlive its run. */
const shutdown = (code: number): void => {
  if (closing) return;
  setTimeout(() => process.exit(code), 5000);
  closing = (hosted ? hosted.stop() : Promise.resolve()).finally(() => process.exit(code));
};

// Orphan protection: the IPC channel closes with the parent; poll the parent pid in case it lingers.
process.on('disconnect', () => shutdown(0));
const parentPid = process.ppid;
setInterval(() => {
  try {
    process.kill(parentPid, 0);
  } catch {
    shutdown(0);
  }
}, 1000).unref();
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));

process.on('message', (msg: StartMessage | { type: 'stop' }) => {
  if (msg.type === 'stop') return shutdown(0);
  if (msg.type !== 'start') return;
  const log = createLogger({ level: msg.logLevel ?? 'warn', prefix: `controller ${msg.name}` });
  hostController(msg.name, {
    kubeconfig: msg.kubeconfig,
    context: msg.context,
    options: msg.options,
    metricsPort: msg.metricsPort,
    log,
  }).then(
    (h) => {
      hosted = h;
      send({ type: 'ready', metricsUrl: h.metricsUrl });
    },
    (e: unknown) => {
      send({
        type: 'error',
        message: e instanceof Error ? e.message : String(e),
        badInput: e instanceof InputError,
        problems: e instanceof InputError ? e.problems : undefined,
        hint: e instanceof InputError ? e.hint : undefined,
      });
      shutdown(1);
    },
  );
});
send({ type: 'hello' });
