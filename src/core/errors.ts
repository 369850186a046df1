/**
 * One error hierarchy with stable exit codes; only src/cli/main.ts calls process.exit.
 * Exit codes are part of the CLI contract (README "Exit codes").
 */
export const ExitCode = {
  ok: 0,
  toolFailure: 1,
  badInput: 2,
  thresholdFailed: 3,
  runInvalid: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class KubeperfError extends Error {
  readonly exitCode: ExitCode;
  /** What the user can do about it, printed on its own line. */
  readonly hint?: string;

  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? ExitCode.toolFailure;
    this.hint = options.hint;
  }
}

/** Bad flags, config, files or templates: exit 2. */
export class InputError extends KubeperfError {
  /** Individual problems, each already formatted as `FILE:LINE:COL: path: message` where known. */
  readonly problems: string[];
  constructor(message: string, options: { problems?: string[]; hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.badInput });
    this.problems = options.problems ?? [];
  }
}

/** A capability that is registered in the CLI but not built yet: exit 1. */
export class NotAvailableError extends KubeperfError {
  constructor(what: string) {
    super(`${what} is not available yet in this version of kubeperf`, { exitCode: ExitCode.toolFailure });
  }
}

/** The run completed but its numbers cannot be trusted (error-rate guard, lost watch): exit 4. */
export class RunInvalidError extends KubeperfError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.runInvalid });
  }
}

/** A threshold or regression check failed: exit 3. */
export class ThresholdError extends KubeperfError {
  constructor(message: string) {
    super(message, { exitCode: ExitCode.thresholdFailed });
  }
}

/** Stopped by SIGINT/SIGTERM: exit 130. */
export class InterruptedError extends KubeperfError {
  constructor(message = 'interrupted') {
    super(message, { exitCode: ExitCode.interrupted });
  }
}

export function isKubeperfError(e: unknown): e is KubeperfError {
  return e instanceof KubeperfError;
}
