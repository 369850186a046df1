#!/usr/bin/env node
// The executable. All logic is in app.ts so tests can call main() without exiting the process.
import { main, reportError } from './app.js';
import { tolerateClosedPipes } from './io.js';

/** process.exit() drops what is still queued for a pipe: flush stdout and stderr first. */
function flushAndExit(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

tolerateClosedPipes();
main(process.argv.slice(2)).then(flushAndExit, (e) => flushAndExit(reportError(e)));
