/**
 * A kube-burner config (rendered) → the equivalent kubeperf study: every job becomes a `job` phase of
 * kubeperf's job model with kube-burner's semantics and defaults (kube-burner's config.go), kube-burner's
 * labels on created objects so later jobs' selectors match, podLatency/jobLatency/serviceLatency as
 * watch-measured latencies with their thresholds, indexers and Prometheus endpoints reported (notes in
 * the results). A field kubeperf cannot honour is an error naming it; one without effect here is a
 * note. The support table is docs/kube-burner.md, generated from `fieldSupport` below.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinReadiness } from '../kube/readiness.js';
import { loadObjectTemplate } from '../templates/objects.js';

type Obj = Record<string, unknown>;
type Path = (string | number)[];

export interface Translation {
  study: Obj;
  notes: string[];
  /** Problems with their paths; the caller adds file:line:col. */
  problems: { path: Path; message: string }[];
}

export interface FieldSupport {
  status: 'mapped' | 'note' | 'unsupported';
  how: string;
}
const mapped = (how: string): FieldSupport => ({ status: 'mapped', how });
const noted = (how: string): FieldSupport => ({ status: 'note', how });
const unsupported = (how: string): FieldSupport => ({ status: 'unsupported', how });

/** How each kube-burner field is handled: mapped, a note (no effect here), or unsupported. */
export const fieldSupport: Record<string, FieldSupport> = {
  // top level
  jobs: mapped('one `job` phase per job, in order'),
  global: mapped('see global.*'),
  metricsEndpoints: mapped(
    'endpoint + metrics (kube-burner metric profiles) → one promQuery measurement per profile (token → bearerToken, step); without an endpoint: reported as skipped; alerts: skipped; username/password: error; indexers: not supported, results written locally',
  ),
  indexers: noted('Elastic/OpenSearch/local/tsdb indexers are not supported: results are written locally'),
  // global
  'global.measurements': mapped(
    'podLatency, jobLatency, serviceLatency → `measure` of every create job (latencies from watches, ms); their thresholds → study thresholds; other measurements are errors',
  ),
  'global.gc': noted('kubeperf always deletes what the run created at its end (unless --keep)'),
  'global.gcMetrics': noted('no metrics are collected during cleanup'),
  'global.gcTimeout': noted('cleanup waits up to 120 s'),
  'global.requestTimeout': noted('kubeperf’s client timeouts apply'),
  'global.clusterHealth': noted('the target is checked with GET /version'),
  'global.timeout': noted('no global timeout; Ctrl-C keeps the results'),
  'global.deletionStrategy': noted('kubeperf deletes by its run labels'),
  'global.waitWhenFinished': unsupported('set waitWhenFinished on the jobs instead'),
  'global.functionTemplates': unsupported(
    'templates with define/template are not supported by kubeperf’s Go template engine',
  ),
  'global.indexerConfig': noted('indexers are not supported: results are written locally'),
  'global.writeToFile': noted('results are always written to files'),
  'global.metricsDirectory': noted('results go to --out'),
  'global.createTarball': noted('results are plain files'),
  // job
  'job.name': mapped('phase name and jobName (label kubeperf.io/job, kube-burner.io/job)'),
  'job.jobType': mapped('create, delete, patch, read; kubevirt is an error'),
  'job.jobIterations': mapped('same (delete jobs: 1)'),
  'job.namespace': mapped('same (default: the job name)'),
  'job.namespacedIterations': mapped('same, default true'),
  'job.iterationsPerNamespace': mapped('same'),
  'job.cleanup': mapped('deletes objects earlier kubeperf runs of this job left (labelled only)'),
  'job.podWait': mapped('wait after each iteration'),
  'job.waitWhenFinished': mapped('same, default true'),
  'job.maxWaitTimeout': mapped('same, default 4h'),
  'job.jobIterationDelay': mapped('pause between iterations (create, read, patch)'),
  'job.jobPause': mapped('pause after the job'),
  'job.gc': mapped('delete the job’s objects after it'),
  'job.qps': mapped('client-side token bucket (concurrency max(16, qps))'),
  'job.burst': mapped('token bucket size'),
  'job.objects': mapped('see object.*'),
  'job.verifyObjects': mapped('count by label after the job, default true'),
  'job.errorOnVerify': mapped('a mismatch makes the run invalid, default true'),
  'job.preLoadImages': noted('accepted, not done (no image pre-pull); a note in the results'),
  'job.preLoadPeriod': noted('no pre-pull'),
  'job.preloadNodeLabels': noted('no pre-pull'),
  'job.preLoadNodeLabels': noted('no pre-pull'),
  'job.namespaceLabels': mapped('labels of the namespaces the job creates'),
  'job.namespaceAnnotations': mapped('annotations of the namespaces the job creates'),
  'job.churnConfig': mapped('cycles, percent, duration, delay, mode namespaces|objects'),
  'job.churn': mapped('legacy churn: churnCycles/Percent/Duration/Delay/DeletionStrategy → churnConfig'),
  'job.churnCycles': mapped('→ churnConfig.cycles'),
  'job.churnPercent': mapped('→ churnConfig.percent'),
  'job.churnDuration': mapped('→ churnConfig.duration'),
  'job.churnDelay': mapped('→ churnConfig.delay'),
  'job.churnDeletionStrategy': mapped('gvr → churnConfig.mode objects, default → namespaces'),
  'job.waitForDeletion': mapped('delete jobs: waitWhenFinished (wait until gone)'),
  'job.skipIndexing': noted('no indexing'),
  'job.metricsAggregate': noted('no Prometheus metric collection per job'),
  'job.metricsClosing': noted('no Prometheus metric collection per job'),
  'job.measurements': mapped('as global.measurements, for this job'),
  'job.executionMode': mapped('parallel (the default) only; sequential is an error'),
  'job.defaultMissingKeysWithZero': unsupported('a missing template key is always an error'),
  'job.namespaceDelay': unsupported('no delay between namespace creations'),
  'job.beforeCleanup': unsupported('kubeperf runs no scripts'),
  'job.hooks': unsupported('kubeperf runs no scripts'),
  'job.watchers': unsupported('informer load is not generated'),
  'job.objectDelay': unsupported('no per-object delay'),
  'job.objectWait': unsupported('no per-object wait'),
  'job.incrementalLoad': unsupported(
    'kube-burner’s form is not translated; kubeperf’s job has its own incrementalLoad',
  ),
  // object
  'object.objectTemplate': mapped('same (kubeperf’s Go template engine, sprig helpers)'),
  'object.replicas': mapped('same, default 1'),
  'object.inputVars': mapped('same'),
  'object.wait': mapped(
    'default true: readiness from watches for kinds with a built-in waiter or with waitOptions',
  ),
  'object.waitOptions': mapped(
    'kind/apiVersion/labelSelector → wait for those objects; customStatusPaths of the form (.conditions.[] | select(.type == "X")).status or .a.b → a condition or CEL check; forCondition → condition',
  ),
  'object.runOnce': mapped('created in the first iteration only'),
  'object.churn': mapped('false keeps the object out of churn (mode objects)'),
  'object.kind': mapped('delete/patch/read: the kind selected'),
  'object.apiVersion': mapped('default v1'),
  'object.labelSelector': mapped(
    'same, narrowed to this run’s objects (kubeperf.io/run-id): kubeperf never touches objects it did not create',
  ),
  'object.patchType': mapped(
    'application/json-patch+json, merge-patch, strategic-merge-patch, apply-patch+yaml',
  ),
  'object.kubeVirtOp': unsupported('no KubeVirt operations'),
};

const latencyNames = new Set(['podLatency', 'jobLatency', 'serviceLatency']);
const metricNames: Record<string, string> = {
  P50: 'p50',
  P90: 'p90',
  P95: 'p95',
  P99: 'p99',
  Max: 'max',
  Avg: 'mean',
};
const measurementNoteFields = new Set([
  'name',
  'thresholds',
  'esIndex',
  'timeseriesIndexer',
  'quantilesIndexer',
  'indexer',
  'serviceTimeout',
  'svcTimeout',
  'defaultTimeout',
  'skipPodsWithoutNodes',
]);
const patchTypes: Record<string, string> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export function translateKubeBurner(
  raw: unknown,
  o: { name: string; baseDir: string; measurementsSupported?: boolean },
): Translation {
  const notes: string[] = [];
  const problems: Translation['problems'] = [];
  const fail = (path: Path, message: string) => problems.push({ path, message });
  const note = (text: string) => notes.push(text);
  const unknownOrNote = (field: string, path: Path, what: string) => {
    const f = fieldSupport[field];
    if (!f) {
      fail(path, `unknown ${what} field "${path[path.length - 1]}"`);
      return false;
    }
    if (f.status === 'unsupported') {
      fail(path, `not supported by kubeperf: ${f.how}`);
      return false;
    }
    if (f.status === 'note') note(`${fmt(path)}: ${f.how}`);
    return f.status === 'mapped';
  };
  if (!isObj(raw)) {
    fail([], 'a kube-burner config is a mapping with jobs: (and global:, metricsEndpoints:)');
    return { study: {}, notes, problems };
  }
  for (const k of Object.keys(raw)) unknownOrNote(k, [k], 'top-level');
  const global = isObj(raw.global) ? raw.global : {};
  for (const k of Object.keys(global)) {
    if (k === 'measurements') continue;
    if (k === 'indexerConfig') indexerNote(global[k], ['global', k], note);
    else unknownOrNote(`global.${k}`, ['global', k], 'global');
  }
  const measurements: Obj[] = [];
  for (const [i, ep] of (Array.isArray(raw.metricsEndpoints) ? raw.metricsEndpoints : []).entries()) {
    const path: Path = ['metricsEndpoints', i];
    if (!isObj(ep)) continue;
    for (const k of Object.keys(ep))
      if (
        !['indexer', 'endpoint', 'metrics', 'alerts', 'token', 'step', 'skipTLSVerify', 'alias'].includes(k)
      )
        fail(
          [...path, k],
          k === 'username' || k === 'password'
            ? 'basic auth to Prometheus is not supported (use token)'
            : `unknown metricsEndpoints field "${k}"`,
        );
    if (ep.indexer !== undefined) indexerNote(ep.indexer, [...path, 'indexer'], note);
    const url = typeof ep.endpoint === 'string' ? ep.endpoint : '';
    const profiles = (Array.isArray(ep.metrics) ? ep.metrics : []).map(String);
    if (!url || !profiles.length)
      note(`${fmt(path)}: skipped: ${!url ? 'no Prometheus endpoint' : 'no metric profiles'} to query`);
    else if (!o.measurementsSupported)
      note(
        `${fmt(path)}: skipped: querying ${url} needs kubeperf's promQuery measurement, which this build does not have`,
      );
    else {
      if (ep.skipTLSVerify) note(`${fmt(path)}.skipTLSVerify: the endpoint's certificate is verified`);
      const base = String(ep.alias ?? `metrics${i}`).replace(/[^A-Za-z0-9_-]/g, '-');
      profiles.forEach((profile, k) =>
        measurements.push({
          type: 'promQuery',
          name: /^[A-Za-z]/.test(base) ? `${base}${profiles.length > 1 ? `-${k}` : ''}` : `m-${base}`,
          url,
          ...(typeof ep.token === 'string' && ep.token ? { bearerToken: ep.token } : {}),
          ...(ep.step !== undefined ? { step: duration(ep.step) } : {}),
          profile,
        }),
      );
    }
    if (Array.isArray(ep.alerts) && ep.alerts.length)
      note(
        `${fmt(path)}.alerts: skipped: kubeperf evaluates thresholds on what it measured, not PromQL alerts`,
      );
  }
  for (const i of (Array.isArray(raw.indexers) ? raw.indexers : []).keys())
    indexerNote((raw.indexers as unknown[])[i], ['indexers', i], note);

  const thresholds: string[] = [];
  const measure = (list: unknown, path: Path): string[] => {
    const out: string[] = [];
    for (const [i, m] of (Array.isArray(list) ? list : []).entries()) {
      const p: Path = [...path, i];
      if (!isObj(m) || typeof m.name !== 'string') {
        fail(p, 'a measurement needs a name');
        continue;
      }
      if (!latencyNames.has(m.name)) {
        fail(
          [...p, 'name'],
          `measurement ${m.name} is not supported (supported: podLatency, jobLatency, serviceLatency)`,
        );
        continue;
      }
      out.push(m.name);
      for (const k of Object.keys(m))
        if (!measurementNoteFields.has(k)) fail([...p, k], `unknown field "${k}" of measurement ${m.name}`);
        else if (k !== 'name' && k !== 'thresholds')
          note(`${fmt([...p, k])}: no effect (no indexing; latencies are kubeperf's)`);
      for (const [t, th] of (Array.isArray(m.thresholds) ? m.thresholds : []).entries()) {
        const tp: Path = [...p, 'thresholds', t];
        const metric = isObj(th) ? metricNames[String(th.metric)] : undefined;
        const cond = isObj(th)
          ? String(th.conditionType ?? (m.name === 'serviceLatency' ? 'Ready' : ''))
          : '';
        const limit = isObj(th) ? th.threshold : undefined;
        if (!metric || !cond || (typeof limit !== 'string' && typeof limit !== 'number'))
          fail(
            tp,
            'a threshold needs conditionType, metric (P50, P90, P95, P99, Max, Avg) and threshold (e.g. 2000ms)',
          );
        else {
          const op = m.name === 'jobLatency' ? 'jobLatency.Complete' : `${m.name}.${cond}`;
          thresholds.push(`${op}.${metric} < ${typeof limit === 'number' ? `${limit / 1e6}ms` : limit}`);
        }
      }
    }
    return out;
  };
  const globalMeasures = measure(global.measurements, ['global', 'measurements']);

  const phases: Obj[] = [];
  const jobs = Array.isArray(raw.jobs) ? raw.jobs : [];
  if (!jobs.length) fail(['jobs'], 'a kube-burner config needs at least one job');
  const names = new Set<string>();
  for (const [j, job] of jobs.entries()) {
    const jp: Path = ['jobs', j];
    if (!isObj(job)) {
      fail(jp, 'a job is a mapping');
      continue;
    }
    const phase = translateJob(job, jp, { fail, note, unknownOrNote, measure, baseDir: o.baseDir });
    if (!phase) continue;
    if (names.has(phase.name as string)) fail([...jp, 'name'], `duplicate job name "${phase.name}"`);
    names.add(phase.name as string);
    if (phase.jobType === 'create' && globalMeasures.length)
      phase.measure = [...new Set([...((phase.measure as string[] | undefined) ?? []), ...globalMeasures])];
    phases.push(phase);
  }
  const study: Obj = {
    name: o.name,
    description: `kube-burner config ${o.name}, translated by kubeperf (docs/kube-burner.md)`,
    // Used only on the embedded control plane: simulated nodes, so pods schedule and become ready.
    cluster: { nodes: 5 },
    phases,
    ...(measurements.length ? { measurements } : {}),
    ...(thresholds.length ? { thresholds } : {}),
  };
  return { study, notes, problems };
}

function indexerNote(v: unknown, path: Path, note: (t: string) => void) {
  const type = isObj(v) ? String(v.type ?? 'elastic') : 'unknown';
  const servers = isObj(v) && Array.isArray(v.esServers) ? ` (${v.esServers.join(', ')})` : '';
  note(
    type === 'local'
      ? `${fmt(path)}: the local indexer's files are replaced by kubeperf's results.json and reports`
      : `${fmt(path)}: ${type} indexer${servers} is not supported: results are written locally (results.json, reports)`,
  );
}

interface Ctx {
  fail(path: Path, message: string): void;
  note(text: string): void;
  unknownOrNote(field: string, path: Path, what: string): boolean;
  measure(list: unknown, path: Path): string[];
  baseDir: string;
}

function translateJob(job: Obj, jp: Path, c: Ctx): Obj | undefined {
  const name = typeof job.name === 'string' ? job.name : '';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 50) {
    c.fail(
      [...jp, 'name'],
      `job name "${name}" must be a DNS label of at most 50 characters (it becomes a label value)`,
    );
    return undefined;
  }
  const jobType = (job.jobType as string | undefined) ?? 'create';
  if (!['create', 'delete', 'patch', 'read'].includes(jobType)) {
    c.fail([...jp, 'jobType'], `jobType ${jobType} is not supported (create, delete, patch, read)`);
    return undefined;
  }
  const out: Obj = { type: 'job', name, jobName: name, jobType };
  const legacyChurn: Obj = {};
  for (const [k, v] of Object.entries(job)) {
    const p: Path = [...jp, k];
    if (!c.unknownOrNote(`job.${k}`, p, 'job')) continue;
    switch (k) {
      case 'name':
      case 'jobType':
      case 'objects':
        break;
      case 'jobIterations':
      case 'namespace':
      case 'namespacedIterations':
      case 'iterationsPerNamespace':
      case 'cleanup':
      case 'podWait':
      case 'waitWhenFinished':
      case 'maxWaitTimeout':
      case 'jobIterationDelay':
      case 'jobPause':
      case 'gc':
      case 'qps':
      case 'burst':
      case 'verifyObjects':
      case 'errorOnVerify':
      case 'namespaceLabels':
      case 'namespaceAnnotations':
        out[k] = isDurationField(k) ? duration(v) : v;
        break;
      case 'preLoadImages':
        out.preLoadImages = v === true;
        break;
      case 'waitForDeletion':
        if (jobType === 'delete') out.waitWhenFinished = v;
        break;
      case 'executionMode':
        if (v !== 'parallel')
          c.fail(p, `executionMode ${String(v)} is not supported (kubeperf runs jobs in parallel)`);
        break;
      case 'measurements': {
        const m = c.measure(v, p);
        if (m.length) out.measure = m;
        break;
      }
      case 'churnConfig':
        if (isObj(v)) out.churnConfig = churnConfig(v, p, c);
        break;
      case 'churn':
      case 'churnCycles':
      case 'churnPercent':
      case 'churnDuration':
      case 'churnDelay':
      case 'churnDeletionStrategy':
        legacyChurn[k] = v;
        break;
    }
  }
  if (legacyChurn.churn === true)
    out.churnConfig = churnConfig(
      {
        cycles: legacyChurn.churnCycles ?? 100,
        percent: legacyChurn.churnPercent ?? 10,
        duration: legacyChurn.churnDuration ?? '1h',
        delay: legacyChurn.churnDelay ?? '5m',
        mode: legacyChurn.churnDeletionStrategy === 'gvr' ? 'objects' : 'namespaces',
      },
      jp,
      c,
    );
  // kube-burner's job defaults (config.go) where kubeperf's differ.
  if (jobType === 'create') {
    out.namespace ??= name;
    out.cleanup ??= true;
    out.errorOnVerify ??= true;
    out.maxWaitTimeout ??= '4h';
    out.preLoadImages ??= true;
    out.kubeBurnerLabels = true;
  } else {
    delete out.preLoadImages;
    if (jobType === 'delete') {
      out.jobIterations = 1;
      out.waitWhenFinished ??= true;
    } else out.waitWhenFinished = false;
    delete out.namespace;
  }
  const qps = typeof out.qps === 'number' ? out.qps : 0;
  // kube-burner sends as fast as its QPS allows (a goroutine per object): enough workers for the rate.
  out.concurrency = Math.min(1024, Math.max(16, Math.ceil(qps)));
  if (qps && out.burst === undefined) out.burst = Math.max(1, Math.ceil(qps));
  out.objects = (Array.isArray(job.objects) ? job.objects : []).flatMap((x, i) => {
    const r = translateObject(x, [...jp, 'objects', i], jobType, c, name);
    return r ? [r] : [];
  });
  if (!(out.objects as unknown[]).length) c.fail([...jp, 'objects'], 'a job needs at least one object');
  return out;
}

const isDurationField = (k: string) => ['maxWaitTimeout', 'jobIterationDelay', 'jobPause'].includes(k);

/** Go durations in YAML are strings ("1m30s") or nanoseconds (numbers in job summaries). */
function duration(v: unknown): unknown {
  if (typeof v === 'number') return `${v / 1e6}ms`;
  return v;
}

function churnConfig(v: Obj, p: Path, c: Ctx): Obj {
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'cycles' || k === 'percent') out[k] = x;
    else if (k === 'duration' || k === 'delay') out[k] = duration(x);
    else if (k === 'mode') out.mode = x;
    else c.fail([...p, k], `unknown churnConfig field "${k}" (cycles, percent, duration, delay, mode)`);
  }
  return out;
}

function translateObject(x: unknown, p: Path, jobType: string, c: Ctx, jobName: string): Obj | undefined {
  if (!isObj(x)) {
    c.fail(p, 'an object is a mapping');
    return undefined;
  }
  const out: Obj = {};
  for (const [k, v] of Object.entries(x)) {
    const fp: Path = [...p, k];
    if (!c.unknownOrNote(`object.${k}`, fp, 'object')) continue;
    switch (k) {
      case 'objectTemplate':
      case 'replicas':
      case 'inputVars':
      case 'runOnce':
      case 'churn':
      case 'kind':
      case 'labelSelector':
      case 'apiVersion':
      case 'wait':
        out[k] = v;
        break;
      case 'patchType': {
        const t =
          patchTypes[String(v)] ?? (Object.values(patchTypes).includes(String(v)) ? String(v) : undefined);
        if (!t) c.fail(fp, `patchType ${String(v)} is not one of ${Object.keys(patchTypes).join(', ')}`);
        else out.patchType = t;
        break;
      }
      case 'waitOptions':
        if (isObj(v)) {
          const w = waitOptions(v, fp, c);
          if (w) out.waitOptions = w;
        }
        break;
    }
  }
  if (jobType !== 'create') {
    out.apiVersion ??= 'v1';
    if (!out.kind) c.fail([...p, 'kind'], `${jobType} jobs select objects by kind`);
    delete out.wait;
    delete out.replicas;
    delete out.runOnce;
    delete out.churn;
    if (jobType !== 'patch') delete out.objectTemplate;
    return out;
  }
  // kube-burner waits (wait defaults to true) only for kinds it has a waiter for, or with waitOptions.
  if (out.wait !== false)
    out.wait = !!out.waitOptions || hasWaiter(out.objectTemplate, out.inputVars, c.baseDir, jobName);
  delete out.kind;
  delete out.apiVersion;
  delete out.labelSelector;
  delete out.patchType;
  return out;
}

function hasWaiter(template: unknown, inputVars: unknown, baseDir: string, jobName: string): boolean {
  if (typeof template !== 'string') return false;
  if (!template.includes('\n') && !existsSync(resolve(baseDir, template))) return false;
  try {
    const t = loadObjectTemplate(template, baseDir, 'objects');
    return t
      .renderObjects({
        ...(isObj(inputVars) ? inputVars : {}),
        Iteration: 0,
        Replica: 1,
        JobName: jobName,
        UUID: 'x',
        RunID: 'x',
      })
      .some((o) => o.kind !== undefined && o.kind in builtinReadiness && o.kind !== 'Namespace');
  } catch {
    return false; // the job phase reports template problems itself, with positions
  }
}

function waitOptions(v: Obj, p: Path, c: Ctx): Obj | undefined {
  const out: Obj = {};
  const cel: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (k === 'kind' || k === 'apiVersion' || k === 'labelSelector') out[k] = x;
    else if (k === 'forCondition') out.condition = { type: x, status: 'True' };
    else if (k === 'customStatusPaths') {
      for (const [i, sp] of (Array.isArray(x) ? x : []).entries()) {
        const key = isObj(sp) ? String(sp.key ?? '') : '';
        const value = isObj(sp) ? String(sp.value ?? '') : '';
        const cond =
          /^\(\s*\.conditions\s*(?:\.\s*)?\[\]\s*\|\s*select\(\s*\.type\s*==\s*"([^"]+)"\s*\)\s*\)\s*\.status$/.exec(
            key,
          );
        const simple = /^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.exec(key);
        if (cond)
          cel.push(
            `self.status.conditions.exists(c, c.type == ${JSON.stringify(cond[1])} && c.status == ${JSON.stringify(value)})`,
          );
        else if (simple) cel.push(`string(self.status${key}) == ${JSON.stringify(value)}`);
        else
          c.fail(
            [...p, k, i, 'key'],
            `jq path ${JSON.stringify(key)} is not supported: use (.conditions.[] | select(.type == "X")).status or a plain path like .readyReplicas`,
          );
      }
    } else c.fail([...p, k], `unknown waitOptions field "${k}"`);
  }
  if (cel.length) out.cel = cel.join(' && ');
  if (out.kind && !out.apiVersion) out.apiVersion = 'v1';
  return out;
}

export function fmt(path: Path): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s || '(top level)';
}
