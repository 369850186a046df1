/**
 * Starts a simulated controller in its own Node process (never on the load generator's event loop):
 * forks child.ts, sends it what to run, and waits for it to report ready with its /metrics URL. The
 * child exits with its parent (IPC disconnect and a parent-pid watch), and stop() ends it.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { InputError, KubeperfError } from '../../core/errors.js';
import type { LogLevel } from '../../core/logger.js';
import type { ChildReply, StartMessage } from './child.js';

export interface LaunchControllerOptions {
  kubeconfig: string;
  context?: string;
  options?: Record<string, unknown>;
  metricsPort?: number;
  /** The child's stderr log level (default warn: a study's output stays readable). */
  logLevel?: LogLevel;
  startTimeoutMs?: number;
}

export interface ControllerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ControllerProcess {
  name: string;
  pid: number;
  metricsUrl: string;
  /** Set once the process has exited (a crash mid-run makes the measurement invalid). */
  exit: ControllerExit | undefined;
  exited: Promise<ControllerExit>;
  stop(): Promise<void>;
}

function childEntry(): { script: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { script: fileURLToPath(new URL('./child.ts', here)), execArgv: ['--import', 'tsx'] };
  }
  return { script: fileURLToPath(new URL('./child.js', here)), execArgv: [] };
}

export async function launchController(name: string, o: LaunchControllerOptions): Promise<ControllerProcess> {
  const { script, execArgv } = childEntry();
  const child = fork(script, [], {
    execArgv,
    stdio: ['ignore', 2, 2, 'ipc'],
    env: { ...process.env, NODE_OPTIONS: '' },
    serialization: 'json',
  });
  let exit: ControllerExit | undefined;
  const exited = new Promise<ControllerExit>((resolve) =>
    child.once('exit', (code, signal) => resolve((exit = { code, signal }))),
  );
  const timeoutMs = o.startTimeoutMs ?? 30_000;
  const metricsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new KubeperfError(`controller ${name} did not start within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(e);
    };
    void exited.then((x) =>
      fail(new KubeperfError(`controller ${name} exited during start (code ${x.code}, signal ${x.signal})`)),
    );
    child.once('error', (e) =>
      fail(new KubeperfError(`could not start controller ${name}: ${e.message}`, { cause: e })),
    );
    child.on('message', (m: ChildReply) => {
      if (m.type === 'hello') {
        const start: StartMessage = {
          type: 'start',
          name,
          kubeconfig: o.kubeconfig,
          context: o.context,
          options: o.options,
          metricsPort: o.metricsPort,
          logLevel: o.logLevel,
        };
        child.send(start);
      } else if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m.metricsUrl);
      } else if (m.type === 'error') {
        fail(
          m.badInput
            ? new InputError(m.message, { problems: m.problems, hint: m.hint })
            : new KubeperfError(`controller ${name} failed to start: ${m.message}`),
        );
      }
    });
  });
  // Do not keep the parent alive for the controller; stop() is the normal end.
  child.unref();
  child.channel?.unref();
  let stopping: Promise<void> | undefined;
  return {
    name,
    pid: child.pid!,
    metricsUrl,
    get exit() {
      return exit;
    },
    exited,
    stop: () =>
      (stopping ??= (async () => {
        if (!exit) {
          // The child was unref'd; while we wait for its exit it must keep this process alive, or
          // the event loop can empty before the exit event arrives.
          child.ref();
          if (child.connected) child.send({ type: 'stop' });
          else child.kill('SIGTERM');
          const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(killTimer);
        }
      })()),
  };
}
