/**
 * Progress of a phase: a live line on a TTY, plain log lines otherwise (CI=true, pipes, --json).
 * Phases only call these methods; rendering is the CLI's business.
 */
export interface ProgressReporter {
  /** Declare the amount of work (0 or undefined when unknown). */
  start(total?: number, unit?: string): void;
  /** Add finished work and errors. Cheap: called once per request. */
  advance(done?: number, errors?: number): void;
  /** Free-form status, e.g. "sweep concurrency=8". */
  status(text: string): void;
  finish(): void;
}

export const nullProgress: ProgressReporter = {
  start() {},
  advance() {},
  status() {},
  finish() {},
};
