/**
 * `kubeperf bench crud`: a one-phase study of type `crud` built from flags, run through the normal
 * run lifecycle (results.json, reports, verdict) like `kubeperf run`.
 */
import { Command } from 'commander';
import { num, numList, runBenchPhase, targetFlags, type BenchFlags } from '../flags.js';

interface CrudFlags extends BenchFlags {
  resource?: string;
  apiVersion?: string;
  namespace?: string;
  objects?: string;
  concurrency?: string;
  qps?: string;
  burst?: string;
  rate?: string;
  poisson?: boolean;
  payloadBytes?: string;
  payloadSizes?: string;
  concurrencySweep?: string;
  ops?: string;
  patchType?: string;
  lists?: string;
  connections?: string;
  rounds?: string;
}

/** Flags → the crud phase options (validated by the phase's schema when the study loads). */
export function crudPhaseFromFlags(f: CrudFlags): Record<string, unknown> {
  const phase: Record<string, unknown> = { type: 'crud' };
  const set = (k: string, v: unknown) => {
    if (v !== undefined) phase[k] = v;
  };
  set('resource', f.resource);
  set('apiVersion', f.apiVersion);
  set('namespace', f.namespace);
  set('objects', num('objects', f.objects));
  set('concurrency', num('concurrency', f.concurrency));
  set('qps', num('qps', f.qps, false));
  set('burst', num('burst', f.burst));
  set('arrivalRate', num('rate', f.rate, false));
  if (f.poisson) set('arrival', 'poisson');
  set('payloadBytes', num('payload-bytes', f.payloadBytes));
  set('payloadSizes', numList('payload-sizes', f.payloadSizes));
  set('concurrencySweep', numList('concurrency-sweep', f.concurrencySweep));
  set(
    'ops',
    f.ops?.split(',').map((s) => s.trim()),
  );
  set('patchType', f.patchType);
  set('lists', num('lists', f.lists));
  set('connections', num('connections', f.connections));
  set('rounds', num('rounds', f.rounds));
  return phase;
}

export function benchCrudCommand(): Command {
  const cmd = new Command('crud')
    .description('CRUD benchmark against the embedded control plane or a kubeconfig target')
    .option('--resource <kind>', 'kind or plural resource name', 'ConfigMap')
    .option('--api-version <v>', 'API version of the resource', 'v1')
    .option('--namespace <ns>', 'namespace (created and removed when it does not exist)')
    .option('--objects <n>', 'objects per cycle', '1000')
    .option('--concurrency <n>', 'closed model: parallel workers', '16')
    .option('--qps <n>', 'client-go token bucket rate (0 = unlimited)')
    .option('--burst <n>', 'client-go token bucket burst')
    .option('--rate <n>', 'open model: arrivals per second (latency from intended start)')
    .option('--poisson', 'open model: Poisson arrivals instead of constant')
    .option('--payload-bytes <n>', 'payload bytes per object')
    .option('--payload-sizes <list>', 'resource size impact: one cycle per size, e.g. 256,4096,65536')
    .option('--concurrency-sweep <list>', 'throughput vs workers: one cycle per count, e.g. 1,2,4,8,16,32,64')
    .option('--ops <list>', 'ops to run: create,get,update,patch,list,list-paged,delete')
    .option('--patch-type <t>', 'merge | json | strategic | apply')
    .option('--lists <n>', 'full LIST requests per cycle')
    .option('--connections <n>', 'HTTP connections to the API server')
    .option(
      '--rounds <n>',
      'interleaved rounds the objects are split into (default 10; compare tests noise with them)',
    );
  return targetFlags(
    cmd,
    'keep the namespace the run created; the objects are deleted by the cycle itself (its measured delete step)',
  )
    .addHelpText(
      'after',
      `
Examples:
  kubeperf bench crud                                     1000 ConfigMaps, 16 workers, embedded control plane
  kubeperf bench crud --concurrency-sweep 1,2,4,8,16,32,64 --objects 500
  kubeperf bench crud --payload-sizes 256,4096,65536,262144 --objects 300
  kubeperf bench crud --rate 500 --poisson --objects 5000 --ops create,get,delete
  kubeperf bench crud --resource Deployment --api-version apps/v1 --kubeconfig ~/.kube/config --context kind`,
    )
    .action((f: CrudFlags) => runBenchPhase('crud', crudPhaseFromFlags(f), f));
}
