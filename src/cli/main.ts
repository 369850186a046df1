#!/usr/bin/env node
// The executable. All logic is in app.ts so tests can call main() without exiting the process.
import { main, reportError } from './app.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => process.exit(reportError(e)),
);
