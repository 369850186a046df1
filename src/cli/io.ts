/**
 * Output discipline for commands: with --json, stdout carries only the JSON document; everything
 * else (progress, logs, human summaries) goes to stderr. Writes resolve once flushed (main.ts exits
 * right after a command, which would cut a piped stdout), and a reader that went away
 * (`kubeperf … | head -2`) ends the output quietly instead of with an EPIPE stack trace.
 */
const closed = new WeakSet<NodeJS.WriteStream>();

const isClosedPipe = (e: unknown) =>
  ['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END'].includes(
    (e as NodeJS.ErrnoException | undefined)?.code ?? '',
  );

/** Installed once by main.ts: a closed stdout/stderr is not an error of the command. */
export function tolerateClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (!isClosedPipe(e)) throw e;
      closed.add(stream);
    });
  }
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  if (closed.has(stream) || stream.destroyed) return Promise.resolve();
  return new Promise((resolve, reject) =>
    stream.write(text, (e) => {
      if (!e || isClosedPipe(e)) resolve();
      else reject(e);
    }),
  );
}

/** Write to stdout and wait until it is flushed (or its reader is gone). */
export function writeStdout(text: string): Promise<void> {
  return write(process.stdout, text);
}

export function printJson(value: unknown): Promise<void> {
  return writeStdout(JSON.stringify(value, null, 2) + '\n');
}

/** Human output: stdout normally, stderr when stdout is reserved for JSON. */
export function printHuman(text: string, json = false): Promise<void> {
  return write(json ? process.stderr : process.stdout, text.endsWith('\n') ? text : text + '\n');
}

/** Commander option parser for repeatable flags (--set a=b --set c=d). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
