import { readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { launchEmbeddedCluster } from './launch.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('launchEmbeddedCluster', () => {
  it('runs the server in a child process, writes a kubeconfig and stops cleanly', async () => {
    const c = await launchEmbeddedCluster({ maxInflight: 100 });
    try {
      expect(c.pid).not.toBe(process.pid);
      expect(alive(c.pid)).toBe(true);
      expect(c.server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const kc = parse(await readFile(c.kubeconfigPath, 'utf8'));
      expect(kc.clusters[0].cluster.server).toBe(c.server);
      expect(kc.users[0].user.token).toBe(c.token);
      const r = await fetch(`${c.server}/api/v1/namespaces/default`, {
        headers: { authorization: `Bearer ${c.token}` },
      });
      expect(r.status).toBe(200);
      expect(c.version).toMatch(/^v1\.28\./);
    } finally {
      await c.stop();
    }
    expect(alive(c.pid)).toBe(false);
    await expect(readFile(c.kubeconfigPath)).rejects.toThrow();
  });

  it('the child exits when its parent dies (no orphan servers)', async () => {
    // A throwaway parent process launches a cluster, prints the child pid, then is killed.
    const script = `
      import { launchEmbeddedCluster } from ${JSON.stringify(new URL('./launch.ts', import.meta.url).href)};
      const c = await launchEmbeddedCluster({});
      process.stdout.write(String(c.pid) + '\\n');
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const childPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      parent.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\n/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      parent.on('exit', (code) => reject(new Error(`parent exited early (${code})`)));
    });
    expect(alive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 5000;
    while (alive(childPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(childPid)).toBe(false);
  });
});
