// Makes the CLI entry executable after tsc (tsc drops the mode bit) so `npx kubeperf` works after `npm ci`.
import { chmodSync, existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(entry)) chmodSync(entry, 0o755);
