/**
 * List-then-watch from the list's resourceVersion, so no event after the list is missed (the watch is
 * registered before the caller creates anything). NDJSON is split on newlines, not on chunks (chunk
 * boundaries do not follow event boundaries in a backlog). A clean end of stream (server timeout)
 * resumes from the last seen resourceVersion; a 410 Expired or a failed resume marks the watch lost,
 * which callers report as an invalid run, because readiness after a gap cannot be trusted.
 */
import { StringDecoder } from 'node:string_decoder';
import { collectionPath, type ResourceMapping } from './discovery.js';
import { listQuery, type KubeClient, type KubeObject } from './client.js';
import { sleep } from '../load/sleep.js';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
  /** Monotonic ms at which the chunk carrying the event reached our process. */
  receivedMs: number;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  onEvent: (e: WatchEvent) => void;
  /** Deliver the listed objects as ADDED events first (default false: only changes after the list). */
  initialEvents?: boolean;
  /** Called once if the watch is lost and cannot be resumed without a gap. */
  onLost?: (reason: string) => void;
  /** Watch from this resourceVersion without listing first (the caller listed; informers relist themselves). */
  resourceVersion?: string;
}

export class Watcher {
  resourceVersion = '';
  lost: string | undefined;
  /** Stream (re)connections after the first (server timeouts, drops). */
  reconnects = 0;
  events = 0;
  private readonly abort = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: KubeClient,
    private readonly mapping: ResourceMapping,
    private readonly o: WatchOptions,
  ) {}

  /** Lists (to get a resourceVersion) and opens the watch; resolves once the server accepted it. */
  async start(): Promise<void> {
    if (this.o.resourceVersion !== undefined) {
      this.resourceVersion = this.o.resourceVersion;
      this.loop = this.run(await this.open());
      return;
    }
    const { items, resourceVersion } = await this.client.listAll(this.mapping, this.o.namespace, {
      labelSelector: this.o.labelSelector,
      fieldSelector: this.o.fieldSelector,
    });
    this.resourceVersion = resourceVersion;
    if (this.o.initialEvents) {
      const now = performance.now();
      for (const object of items) this.o.onEvent({ type: 'ADDED', object, receivedMs: now });
    }
    const first = await this.open();
    this.loop = this.run(first);
  }

  private async open() {
    const q = listQuery({
      labelSelector: this.o.labelSelector,
      fieldSelector: this.o.fieldSelector,
      resourceVersion: this.resourceVersion,
    });
    const sep = q ? '&' : '?';
    const path = `${collectionPath(this.mapping, this.o.namespace)}${q}${sep}watch=true&allowWatchBookmarks=true`;
    const res = await this.client.rest.stream(path, this.abort.signal);
    if (res.status !== 200) {
      const text = await res.body.text();
      throw new Error(`watch ${this.mapping.resource}: HTTP ${res.status} ${text.slice(0, 200)}`);
    }
    return res.body;
  }

  private async run(body: AsyncIterable<Buffer>): Promise<void> {
    for (;;) {
      const ended = await this.consume(body);
      if (this.abort.signal.aborted || this.lost) return;
      if (ended === 'expired') return this.markLost('watch expired (410) and would have to relist');
      // Clean end (server-side timeout or a dropped connection): resume from the last resourceVersion.
      let tries = 0;
      for (;;) {
        try {
          body = await this.open();
          this.reconnects++;
          break;
        } catch (e) {
          if (this.abort.signal.aborted) return;
          if (++tries >= 5) return this.markLost(`watch could not be resumed: ${(e as Error).message}`);
          await sleep(100 * 2 ** tries).catch(() => {});
        }
      }
    }
  }

  private async consume(body: AsyncIterable<Buffer>): Promise<'end' | 'expired'> {
    let buf = '';
    // A multi-byte character can straddle two chunks.
    const decoder = new StringDecoder('utf8');
    try {
      for await (const chunk of body) {
        // Every event in a chunk arrived when the chunk did; parsing earlier lines must not delay it.
        const receivedMs = performance.now();
        buf += decoder.write(chunk);
        // Scan by index and keep only the unfinished tail once per chunk (a backlog chunk can hold
        // thousands of events).
        let from = 0;
        let nl: number;
        while ((nl = buf.indexOf('\n', from)) >= 0) {
          const line = buf.slice(from, nl);
          from = nl + 1;
          if (!line.trim()) continue;
          const ev = JSON.parse(line) as { type: WatchEvent['type']; object: KubeObject & { code?: number } };
          if (ev.type === 'ERROR') {
            if (ev.object?.code === 410) return 'expired';
            this.markLost(`watch error: ${JSON.stringify(ev.object).slice(0, 200)}`);
            return 'end';
          }
          const rv = ev.object?.metadata?.resourceVersion;
          if (rv) this.resourceVersion = rv;
          if (ev.type === 'BOOKMARK') continue;
          this.events++;
          this.o.onEvent({ type: ev.type, object: ev.object, receivedMs });
        }
        buf = from ? buf.slice(from) : buf;
      }
    } catch {
      if (this.abort.signal.aborted) return 'end';
      // A reset mid-stream is resumable like a clean end.
    }
    return 'end';
  }

  private markLost(reason: string): void {
    if (this.lost) return;
    this.lost = reason;
    this.o.onLost?.(reason);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop.catch(() => {});
  }
}

/** Start a watcher; resolves once it is registered (synced at the list's resourceVersion). */
export async function watch(client: KubeClient, mapping: ResourceMapping, o: WatchOptions): Promise<Watcher> {
  const w = new Watcher(client, mapping, o);
  await w.start();
  return w;
}
