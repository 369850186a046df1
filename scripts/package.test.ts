/** `npm ci` stays quiet about install scripts: every dependency that has one is reviewed in allowScripts. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

it('no dependency has an install script that package.json allowScripts has not reviewed', async () => {
  const child = spawn('npm', ['install-scripts', 'ls'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  expect(out).toContain('No packages with unreviewed install scripts');
  expect(code).toBe(0);
});
