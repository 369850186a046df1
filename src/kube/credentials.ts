/**
 * Server URL, auth headers and TLS material from a kubeconfig, via @kubernetes/client-node's
 * KubeConfig: bearer tokens, token files, client certificates, exec credential plugins, OIDC, CA and
 * insecure-skip-tls-verify, impersonation. We only borrow its auth logic; requests go through our
 * own pool (rest.ts).
 */
import type { RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

export interface Credentials {
  server: string;
  headers: Record<string, string>;
  tls: {
    ca?: Buffer | string;
    cert?: Buffer | string;
    key?: Buffer | string;
    rejectUnauthorized?: boolean;
    servername?: string;
  };
  /** Re-apply the auth provider (exec plugin, OIDC, token file) and update `headers`. */
  refresh(): Promise<void>;
}

export async function credentialsFromKubeConfig(kc: KubeConfig): Promise<Credentials> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const creds: Credentials = {
    server: cluster.server,
    headers: {},
    tls: {},
    refresh: async () => {
      const opts: RequestOptions = {};
      // applyToHTTPSOptions also builds an https Agent and refuses plain-http servers (the embedded
      // control plane, kubectl proxy); applyOptions is the auth/TLS part alone.
      const k = kc as unknown as { applyOptions?: (o: RequestOptions) => Promise<void> };
      if (typeof k.applyOptions === 'function') await k.applyOptions.call(kc, opts);
      else await kc.applyToHTTPSOptions(opts);
      const user = kc.getCurrentUser();
      if (user?.username && !opts.auth) opts.auth = `${user.username}:${user.password ?? ''}`;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(opts.headers ?? {})) {
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
      }
      if (opts.auth) headers.authorization = 'Basic ' + Buffer.from(opts.auth).toString('base64');
      creds.headers = headers;
      creds.tls = {
        ca: opts.ca as Buffer | undefined,
        cert: opts.cert as Buffer | undefined,
        key: opts.key as Buffer | undefined,
        rejectUnauthorized: cluster.skipTLSVerify ? false : opts.rejectUnauthorized,
        servername: opts.servername ?? undefined,
      };
    },
  };
  await creds.refresh();
  return creds;
}

/** Credentials for a plain URL plus bearer token (the embedded control plane's in-process server). */
export function credentialsFromToken(server: string, token?: string): Credentials {
  return {
    server,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    tls: {},
    refresh: async () => {},
  };
}
