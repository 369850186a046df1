/**
 * Output discipline for commands: with --json, stdout carries only the JSON document; everything
 * else (progress, logs, human summaries) goes to stderr.
 */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Human output: stdout normally, stderr when stdout is reserved for JSON. */
export function printHuman(text: string, json = false): void {
  (json ? process.stderr : process.stdout).write(text.endsWith('\n') ? text : text + '\n');
}

/** Commander option parser for repeatable flags (--set a=b --set c=d). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
