/**
 * Self-signed CA and serving certificate for `--tls`, made with the system openssl (Node has no
 * X.509 generator). Files live in a temp dir only for the duration of generation.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isIP } from 'node:net';

const run = promisify(execFile);

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export async function makeTlsMaterial(host: string): Promise<TlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), 'kubeperf-tls-'));
  try {
    const f = (n: string) => join(dir, n);
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '365',
      '-subj',
      '/CN=kubeperf-ca',
      '-keyout',
      f('ca.key'),
      '-out',
      f('ca.crt'),
    ]);
    await run('openssl', [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-subj',
      '/CN=kube-apiserver',
      '-keyout',
      f('srv.key'),
      '-out',
      f('srv.csr'),
    ]);
    const sans = new Set([
      'DNS:localhost',
      'IP:127.0.0.1',
      'IP:::1',
      'DNS:kubernetes',
      'DNS:kubernetes.default',
    ]);
    if (host && host !== '0.0.0.0' && host !== '::') sans.add(isIP(host) ? `IP:${host}` : `DNS:${host}`);
    await writeFile(
      f('ext.cnf'),
      `subjectAltName=${[...sans].join(',')}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n`,
    );
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      f('srv.csr'),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '365',
      '-out',
      f('srv.crt'),
      '-extfile',
      f('ext.cnf'),
    ]);
    const [caPem, certPem, keyPem] = await Promise.all([
      readFile(f('ca.crt'), 'utf8'),
      readFile(f('srv.crt'), 'utf8'),
      readFile(f('srv.key'), 'utf8'),
    ]);
    return { caPem, certPem, keyPem };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
