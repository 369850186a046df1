/**
 * Behaviour knobs applied before a request is handled: max-inflight limits (429 + Retry-After, plain
 * text like the real server), injected faults, connection resets and added latency.
 */
import type { ClusterOptions, FaultSpec, KnobVerb, LatencyModel } from '../options.js';
import { ApiError, errors } from '../api/status.js';

export type KnobVerbName = Exclude<KnobVerb, '*'>;

const reasons: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** Standard normal sample (Box–Muller). */
function gauss(): number {
  let u = 0;
  while (u === 0) u = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}

const z99 = 2.3263478740408408;

export function sampleLatency(m: LatencyModel): number {
  switch (m.kind) {
    case 'fixed':
      return m.ms;
    case 'uniform':
      return m.minMs + Math.random() * (m.maxMs - m.minMs);
    case 'lognormal': {
      const mu = Math.log(m.p50Ms);
      const sigma = (Math.log(m.p99Ms) - mu) / z99;
      return Math.exp(mu + sigma * gauss());
    }
  }
}

export function faultError(code: number): ApiError {
  const reason = reasons[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest');
  const headers: Record<string, string> | undefined =
    code === 429 || code === 503 || code === 504 ? { 'Retry-After': '1' } : undefined;
  return new ApiError(
    code,
    reason,
    `injected fault: ${reason} (kubeperf cluster --fault)`,
    code === 429 || code === 504 ? { retryAfterSeconds: 1 } : undefined,
    headers,
  );
}

/** Thrown to make the server reset the connection instead of answering. */
export class ResetConnection extends Error {}

export class Knobs {
  private inflight = { readOnly: 0, mutating: 0 };
  /** Highest in-flight counts since last read (apiserver_current_inflight_requests is a 1 s max). */
  readonly peak = { readOnly: 0, mutating: 0 };
  private readonly latency: Partial<Record<KnobVerb, LatencyModel>>;
  private readonly faults: Partial<Record<KnobVerb, FaultSpec[]>>;
  rejected = 0;

  constructor(private readonly opts: ClusterOptions) {
    this.latency = opts.latency ?? {};
    const faults: Partial<Record<KnobVerb, FaultSpec[]>> = {};
    for (const [verb, f] of Object.entries(opts.faults ?? {})) {
      if (f) faults[verb as KnobVerb] = Array.isArray(f) ? f : [f];
    }
    this.faults = faults;
  }

  get current(): { readOnly: number; mutating: number } {
    return this.inflight;
  }

  private lastSecond = { readOnly: 0, mutating: 0 };
  private windowTimer?: NodeJS.Timeout;

  /** Max in flight during the last full second (what apiserver_current_inflight_requests reports). */
  maxLastSecond(): { readOnly: number; mutating: number } {
    if (!this.windowTimer) {
      this.windowTimer = setInterval(() => {
        this.lastSecond = { ...this.peak };
        this.peak.readOnly = this.inflight.readOnly;
        this.peak.mutating = this.inflight.mutating;
      }, 1000);
      this.windowTimer.unref();
    }
    return {
      readOnly: Math.max(this.lastSecond.readOnly, this.inflight.readOnly),
      mutating: Math.max(this.lastSecond.mutating, this.inflight.mutating),
    };
  }

  stop(): void {
    if (this.windowTimer) clearInterval(this.windowTimer);
  }

  /**
   * Admits a request (cb with a release function) or rejects it (cb with an error). Watches are
   * long-running and exempt from the in-flight limits, like kube-apiserver.
   */
  before(
    verb: KnobVerbName,
    isMutating: boolean,
    longRunning: boolean,
    cb: (err?: unknown, release?: () => void) => void,
  ): void {
    let release: (() => void) | undefined;
    if (!longRunning) {
      const kind = isMutating ? 'mutating' : 'readOnly';
      const limit = isMutating ? this.opts.maxMutatingInflight : this.opts.maxInflight;
      if (limit > 0 && this.inflight[kind] >= limit) {
        this.rejected++;
        cb(errors.tooManyRequests());
        return;
      }
      this.inflight[kind]++;
      if (this.inflight[kind] > this.peak[kind]) this.peak[kind] = this.inflight[kind];
      let released = false;
      release = () => {
        if (!released) {
          released = true;
          this.inflight[kind]--;
        }
      };
    }
    if (this.opts.resetRate > 0 && Math.random() < this.opts.resetRate) {
      release?.();
      cb(new ResetConnection('injected connection reset'));
      return;
    }
    const faults = this.faults[verb] ?? this.faults['*'];
    if (faults) {
      for (const f of faults) {
        if (Math.random() < f.rate) {
          const err = faultError(f.code);
          const model = this.latency[verb] ?? this.latency['*'];
          if (model) setTimeout(() => (release?.(), cb(err)), sampleLatency(model));
          else {
            release?.();
            cb(err);
          }
          return;
        }
      }
    }
    const model = this.latency[verb] ?? this.latency['*'];
    if (model) {
      const ms = sampleLatency(model);
      if (ms > 0) {
        setTimeout(() => cb(undefined, release), ms);
        return;
      }
    }
    cb(undefined, release);
  }
}
