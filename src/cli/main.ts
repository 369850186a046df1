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
let settled = false;
// An event loop that empties while the command still awaits something (a reply over an unref'd
// channel, say) would end the process with exit 0 and nothing written: make that a loud tool failure.
process.once('beforeExit', () => {
  if (settled) return;
  process.stderr.write(
    'kubeperf: internal error: the command stopped waiting on nothing (a bug; please report it)\n',
  );
  flushAndExit(1);
});
main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    flushAndExit(code);
  },
  (e) => {
    settled = true;
    flushAndExit(reportError(e));
  },
);
