/**
 * Resolves a kubeconfig target for a run: loads the kubeconfig (kubeconfig.ts rules), checks the server
 * answers GET /version with these credentials, and returns the Target the phases connect to.
 */
import { InputError } from '../core/errors.js';
import type { Target } from '../phases/types.js';
import { credentialsFromKubeConfig } from './credentials.js';
import { loadKubeConfig, type KubeconfigSelection } from './kubeconfig.js';
import { RestClient } from './rest.js';
import { describeResponse, outcomeOfError } from './response.js';

export async function resolveKubeconfigTarget(opts: KubeconfigSelection): Promise<Target> {
  const { kc, path } = loadKubeConfig(opts);
  const context = kc.getCurrentContext();
  let creds;
  try {
    creds = await credentialsFromKubeConfig(kc);
  } catch (e) {
    throw new InputError(
      `${path}: cannot get credentials for context "${context}": ${(e as Error).message}`,
      {
        hint: 'check the user entry (token, client certificate or exec plugin) of this context',
        cause: e,
      },
    );
  }
  const version = await fetchVersion(new RestClient(creds, { connections: 1 }), creds.server, context);
  return { kind: 'kubeconfig', server: creds.server, kubeconfigPath: path, context, version };
}

/** GET /version; a clear InputError for unreachable, unauthorised or non-Kubernetes servers. */
export async function fetchVersion(rest: RestClient, server: string, context?: string): Promise<string> {
  const where = context ? `${server} (context "${context}")` : server;
  try {
    const r = await rest.request({ method: 'GET', path: '/version', timeoutMs: 10_000 });
    if (r.status === 401 || r.status === 403) {
      throw new InputError(`the API server at ${where} rejected our credentials: ${describeResponse(r)}`, {
        hint: 'check the token or client certificate of this context (kubectl --context … get --raw /version)',
      });
    }
    if (r.status !== 200) {
      throw new InputError(`GET ${server}/version answered ${describeResponse(r)}`, {
        hint: 'is this URL a Kubernetes API server?',
      });
    }
    let v: { gitVersion?: string };
    try {
      v = JSON.parse(r.body) as { gitVersion?: string };
    } catch {
      throw new InputError(`GET ${server}/version did not return JSON`, {
        hint: 'is this URL a Kubernetes API server?',
      });
    }
    return v.gitVersion ?? 'unknown';
  } catch (e) {
    if (e instanceof InputError) throw e;
    const o = outcomeOfError(e);
    const msg = (e as Error).message ?? String(e);
    const tlsHint = /certificate|self.signed|unable to verify/i.test(msg)
      ? 'the server certificate is not trusted: set certificate-authority(-data) in the kubeconfig, or insecure-skip-tls-verify for a test cluster'
      : 'check that the cluster is running and the server URL in the kubeconfig is right';
    throw new InputError(`cannot reach the API server at ${where}: ${o.reason} (${msg})`, {
      hint: tlsHint,
      cause: e,
    });
  } finally {
    await rest.close();
  }
}
