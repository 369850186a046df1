/**
 * Creating an object for a run: created, or already there from this run (a retry) — but a name taken
 * by an object the run did not create is bad input, and that object is never touched.
 */
import { InputError, KubeperfError } from '../core/errors.js';
import type { KubeClient, KubeObject, SendOptions } from './client.js';
import type { ResourceMapping } from './discovery.js';
import { LABEL_RUN_ID } from './labels.js';
import { describeResponse, isSuccess } from './response.js';

export async function createOwned(
  client: KubeClient,
  m: ResourceMapping,
  ns: string | undefined,
  body: KubeObject,
  runId: string,
  op = 'setup',
  send?: SendOptions,
): Promise<void> {
  const r = await client.create(m, ns, JSON.stringify(body), op, send);
  if (r && isSuccess(r)) return;
  const where = `${m.kind} ${ns ? `${ns}/` : ''}${body.metadata.name}`;
  if (r?.status === 409) {
    const got = await client.get(m, ns, body.metadata.name!, 'setup');
    const cur = got?.status === 200 ? (JSON.parse(got.body) as KubeObject) : undefined;
    if (cur?.metadata.labels?.[LABEL_RUN_ID] === runId) return;
    throw new InputError(`${where} already exists and was not created by this run`, {
      hint: 'kubeperf never changes objects it did not create: choose another name or namespace',
    });
  }
  throw new KubeperfError(`create ${where}: ${r ? describeResponse(r) : 'connection failed'}`);
}
