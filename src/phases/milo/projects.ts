/**
 * The runner's create_org_and_projects: the Organization (spec.type Standard; 409 tolerated), then N
 * Projects one after another through the organization's control plane, named `<org>-p-001`…, each
 * with the runner's retry rule; then the wait for all of them to be Ready. projects_ready_seconds is
 * the runner's figure: first create sent → the last project seen Ready by its poll (GET each project
 * in creation order every 2 s, 900 s per project). Beside it, a watch opened before the first
 * create times every project: create sent → the event showing Ready=True (op `project-ready`).
 */
import type { Logger } from '../../core/logger.js';
import type { ProgressReporter } from '../../core/progress.js';
import { MILO_API_VERSION, organizations, projects } from '../../controllers/project/api.js';
import { collectionPath, objectPath } from '../../kube/discovery.js';
import { describeResponse, outcomeOfError, outcomeOfResponse } from '../../kube/response.js';
import type { RestClient } from '../../kube/rest.js';
import { Watcher } from '../../kube/watch.js';
import { sleep } from '../../load/sleep.js';
import type { Recorder } from '../../metrics/recorder.js';
import type { MiloApi } from './clients.js';
import type { MiloData, ProjectRecord } from './data.js';
import { sendWithRetry, type CreateRetry } from './retry.js';

export interface ProjectsRun {
  orgName: string;
  labels: Record<string, string>;
  selector: string;
  numProjects: number;
  retry: CreateRetry;
  readyTimeoutMs: number;
  poll: boolean;
  pollIntervalMs: number;
  recorder: Recorder;
  signal: AbortSignal;
  log: Logger;
  progress: ProgressReporter;
}

export interface ProjectsOutcome {
  record: NonNullable<MiloData['projects']>;
  /** Whether the Organization existed before (409): cleanup must then check its labels. */
  orgExisted: boolean;
  /** Why the wait failed (a project that never became Ready), naming it. */
  failure?: string;
  /** The watch was lost: readiness times after the gap cannot be trusted. */
  watchLost?: string;
}

const isReady = (o: unknown): boolean =>
  ((o as { status?: { conditions?: { type: string; status: string }[] } })?.status?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

export const projectName = (org: string, i: number) => `${org}-p-${String(i).padStart(3, '0')}`;

/** Create sent → Ready event, per project. */
class ReadyWatch {
  readonly sent = new Map<string, number>();
  readonly readyAt = new Map<string, number>();
  private early = new Map<string, number>();
  private waiters = new Set<() => void>();

  constructor(private readonly recorder: Recorder) {}

  expect(name: string, sentMs: number): void {
    this.sent.set(name, sentMs);
    const seen = this.early.get(name);
    if (seen !== undefined) this.ready(name, seen);
  }

  observe(name: string, obj: unknown, receivedMs: number): void {
    if (this.readyAt.has(name) || !isReady(obj)) return;
    if (this.sent.has(name)) this.ready(name, receivedMs);
    else this.early.set(name, receivedMs);
  }

  private ready(name: string, at: number): void {
    this.readyAt.set(name, at);
    this.recorder.record('project-ready', this.sent.get(name)!, at);
    for (const w of this.waiters) w();
  }

  pending(): string[] {
    return [...this.sent.keys()].filter((n) => !this.readyAt.has(n));
  }

  /** Until every expected project is Ready, or the deadline; returns those still pending. */
  async wait(timeoutMs: number, signal: AbortSignal): Promise<string[]> {
    if (this.pending().length) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(check);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const check = () => {
          if (!this.pending().length) done();
        };
        const timer = setTimeout(done, timeoutMs);
        signal.addEventListener('abort', done, { once: true });
        this.waiters.add(check);
      });
    }
    return this.pending();
  }
}

export async function createOrgAndProjects(api: MiloApi, run: ProjectsRun): Promise<ProjectsOutcome> {
  const { orgName, labels, recorder, signal, log } = run;
  const record: NonNullable<MiloData['projects']> = {
    requested: run.numProjects,
    created: 0,
    ready: 0,
    list: [],
  };
  log.info(`creating Organization ${orgName}`);
  const org = await sendWithRetry(
    api.root.rest,
    'create-organization',
    {
      method: 'POST',
      path: collectionPath(organizations),
      body: JSON.stringify({
        apiVersion: MILO_API_VERSION,
        kind: 'Organization',
        metadata: { name: orgName, labels },
        spec: { type: 'Standard' },
      }),
    },
    { retry: run.retry, recorder, signal, onRetry: retryLog(log, 'create Organization') },
  );
  run.progress.advance(1);
  const orgExisted = org.response?.status === 409;
  if (!org.response || (org.response.status >= 300 && !orgExisted)) {
    throw new Error(
      `create Organization ${orgName}: ${org.response ? describeResponse(org.response) : String(org.error)}`,
    );
  }

  const watch = new ReadyWatch(recorder);
  let watchLost: string | undefined;
  const watcher = new Watcher(api.root, projects, {
    labelSelector: run.selector,
    onEvent: (e) => e.type !== 'DELETED' && watch.observe(e.object.metadata.name!, e.object, e.receivedMs),
    onLost: (reason) => (watchLost = reason),
  });
  await watcher.start();
  try {
    const orgApi = api.org(orgName);
    const start = performance.now();
    for (let i = 1; i <= run.numProjects && !signal.aborted; i++) {
      const name = projectName(orgName, i);
      const rec: ProjectRecord = { name };
      record.list.push(rec);
      const sentMs = performance.now();
      const r = await sendWithRetry(
        orgApi.rest,
        'create-project',
        {
          method: 'POST',
          path: collectionPath(projects),
          body: JSON.stringify({
            apiVersion: MILO_API_VERSION,
            kind: 'Project',
            metadata: { name, labels },
            spec: { ownerRef: { kind: 'Organization', name: orgName } },
          }),
        },
        { retry: run.retry, recorder, signal, onRetry: retryLog(log, `create Project ${name}`) },
      );
      if (!r.response || (r.response.status >= 300 && r.response.status !== 409)) {
        throw new Error(
          `error creating Project '${name}': ${r.response ? describeResponse(r.response) : String(r.error)}`,
        );
      }
      rec.createMs = r.ms;
      record.created++;
      watch.expect(name, sentMs);
      run.progress.advance(1);
      if (i % 10 === 0 || i === run.numProjects) log.debug(`Created ${i}/${run.numProjects} Projects`);
    }

    let failure: string | undefined;
    if (run.poll) {
      failure = await pollReady(orgApi.rest, record.list, run);
      if (!failure) record.readySeconds = (performance.now() - start) / 1000;
      // The watch saw them Ready first (the poll found them Ready); let it catch up.
      await watch.wait(failure ? 0 : 10_000, signal);
    } else {
      const late = await watch.wait(run.readyTimeoutMs, signal);
      if (late.length) failure = `Timed out waiting for projects/${late[0]} Ready`;
    }
    const pending = watch.pending();
    for (const name of pending) {
      recorder.record('project-ready', watch.sent.get(name)!, performance.now(), {
        reason: 'Timeout',
        code: 0,
      });
    }
    for (const rec of record.list) {
      const at = watch.readyAt.get(rec.name);
      const sent = watch.sent.get(rec.name);
      if (at === undefined || sent === undefined) continue;
      rec.readyMs = at - sent;
      rec.readyAtMs = at - start;
    }
    record.ready = watch.readyAt.size;
    if (watch.readyAt.size) {
      record.watchReadySeconds = Math.max(...[...watch.readyAt.values()].map((t) => t - start)) / 1000;
      if (!run.poll && !failure) record.readySeconds = record.watchReadySeconds;
    }
    if (failure) {
      record.timedOut = pending;
      failure += pending.length
        ? ` (${pending.length} of ${record.created} projects not Ready: ${pending.slice(0, 10).join(', ')}${pending.length > 10 ? ', …' : ''})`
        : '';
    }
    return { record, orgExisted, failure, watchLost };
  } finally {
    await watcher.stop();
  }
}

/** The runner's wait_condition_ready for each project in creation order; returns the timeout message. */
async function pollReady(
  rest: RestClient,
  list: ProjectRecord[],
  run: ProjectsRun,
): Promise<string | undefined> {
  let ready = 0;
  run.log.info('Waiting for Projects to become Ready');
  for (const { name } of list) {
    const deadline = performance.now() + run.readyTimeoutMs;
    for (;;) {
      if (run.signal.aborted) return 'interrupted while waiting for projects to become Ready';
      const t0 = performance.now();
      let error: unknown;
      const r = await rest
        .request({ method: 'GET', path: objectPath(projects, undefined, name) })
        .catch((e: unknown) => void (error = e));
      run.recorder.record(
        'poll-project',
        t0,
        performance.now(),
        r ? outcomeOfResponse(r) : outcomeOfError(error),
      );
      if (r?.status === 200 && isReady(JSON.parse(r.body))) break;
      if (performance.now() >= deadline) return `Timed out waiting for projects/${name} Ready`;
      await sleep(Math.min(run.pollIntervalMs, Math.max(0, deadline - performance.now())), run.signal).catch(
        () => {},
      );
    }
    ready++;
    if (ready % 10 === 0 || ready === list.length) run.log.debug(`Projects Ready: ${ready}/${list.length}`);
  }
  return undefined;
}

function retryLog(log: Logger, action: string) {
  return (attempt: number, r: { status: number } | undefined, delayMs: number) =>
    log.warn(
      `${action} failed (attempt ${attempt}): status=${r?.status ?? 'no response'}; retrying in ${delayMs / 1000}s`,
    );
}
