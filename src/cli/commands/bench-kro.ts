/**
 * `kubeperf bench kro`: a one-phase `kro` study built from flags (the common case: N instances of a
 * generated or given RGD, with the simulated controller's shapers as flags), run through the normal
 * lifecycle like `kubeperf run`.
 */
import { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { num, numList as list, runBenchPhase, targetFlags, type BenchFlags } from '../flags.js';

interface KroFlags extends BenchFlags {
  rgd?: string;
  resources?: string;
  deps?: string;
  shape?: string;
  complexity?: string;
  seed?: string;
  instances?: string;
  namespaces?: string;
  concurrency?: string;
  qps?: string;
  rate?: string;
  workers?: string;
  queueQps?: string;
  queueBurst?: string;
  clientQps?: string;
  clientBurst?: string;
  requeueMs?: string;
  controller?: string;
  controllerMetricsUrl?: string;
  instancesSweep?: string;
  workersSweep?: string;
  resourcesSweep?: string;
  updateField?: string;
  updateFraction?: string;
  delete?: boolean;
  timeout?: string;
}

/** Flags → the kro phase options (validated by the phase's schema when the study loads). */
export function kroPhaseFromFlags(f: KroFlags): Record<string, unknown> {
  const phase: Record<string, unknown> = { type: 'kro', name: 'kro' };
  const set = (obj: Record<string, unknown>, k: string, v: unknown) => {
    if (v !== undefined) obj[k] = v;
  };
  set(phase, 'rgd', f.rgd);
  const generate: Record<string, unknown> = {};
  set(generate, 'resources', num('resources', f.resources));
  set(generate, 'deps', num('deps', f.deps));
  set(generate, 'shape', f.shape);
  set(generate, 'complexity', f.complexity);
  set(generate, 'seed', num('seed', f.seed));
  if (Object.keys(generate).length) {
    if (f.rgd)
      throw new InputError(
        '--rgd and the generator flags (--resources, --deps, --shape, --complexity, --seed) exclude each other',
      );
    phase.generate = generate;
  }
  set(phase, 'instances', num('instances', f.instances));
  set(phase, 'namespaces', num('namespaces', f.namespaces));
  set(phase, 'concurrency', num('concurrency', f.concurrency));
  set(phase, 'qps', num('qps', f.qps, false));
  set(phase, 'arrivalRate', num('rate', f.rate, false));
  set(phase, 'controller', f.controller);
  set(phase, 'controllerMetricsUrl', f.controllerMetricsUrl);
  const ctl: Record<string, unknown> = {};
  set(ctl, 'workers', num('workers', f.workers));
  set(ctl, 'queueQps', num('queue-qps', f.queueQps, false));
  set(ctl, 'queueBurst', num('queue-burst', f.queueBurst));
  set(ctl, 'clientQps', num('client-qps', f.clientQps, false));
  set(ctl, 'clientBurst', num('client-burst', f.clientBurst));
  set(ctl, 'requeueAfterMs', num('requeue-ms', f.requeueMs));
  if (Object.keys(ctl).length) phase.controllerOptions = ctl;
  set(phase, 'instancesSweep', list('instances-sweep', f.instancesSweep));
  set(phase, 'workersSweep', list('workers-sweep', f.workersSweep));
  const rs = list('resources-sweep', f.resourcesSweep);
  if (rs) phase.complexitySweep = rs.map((resources) => ({ resources }));
  if (f.updateField)
    phase.update = {
      field: f.updateField,
      ...(f.updateFraction ? { fraction: num('update-fraction', f.updateFraction, false) } : {}),
    };
  if (f.delete) phase.delete = true;
  set(phase, 'timeout', f.timeout);
  return phase;
}

export function benchKroCommand(): Command {
  const cmd = new Command('kro')
    .description(
      "kro at scale: N instances of an RGD reconciled by the simulated kro controller (or the target's kro)",
    )
    .option('--rgd <file>', 'RGD file (default: a generated RGD)')
    .option('--resources <n>', 'generated RGD: resources (default 5)')
    .option('--deps <k>', 'generated RGD: dependencies per resource')
    .option('--shape <shape>', 'generated RGD: chain | tree | layered | random')
    .option('--complexity <level>', 'generated RGD: simple | medium | complex | very-complex')
    .option('--seed <n>', 'generated RGD: seed')
    .option('--instances <n>', 'instances to create', '100')
    .option('--namespaces <n>', 'spread instances over this many namespaces')
    .option('--concurrency <n>', 'closed model: parallel creates')
    .option('--qps <n>', 'client-go token bucket for the creates')
    .option('--rate <n>', 'open model: creates per second')
    .option('--workers <n>', 'simulated kro: dynamic-controller workers (kro default 1)')
    .option('--queue-qps <n>', 'simulated kro: queue bucket rate, 0 = none (kro default 10)')
    .option('--queue-burst <n>', 'simulated kro: queue bucket burst (kro default 100)')
    .option('--client-qps <n>', 'simulated kro: client QPS, 0 = unlimited (kro default 100)')
    .option('--client-burst <n>', 'simulated kro: client burst (kro default 150)')
    .option('--requeue-ms <n>', 'simulated kro: requeue while waiting, ms (kro default 3000)')
    .option('--controller <mode>', 'simulated | external (default: simulated on the embedded control plane)')
    .option('--controller-metrics-url <url>', "external kro's /metrics (URL or API server proxy path)")
    .option('--instances-sweep <list>', 'one round per instance count, e.g. 10,100,1000')
    .option('--workers-sweep <list>', 'one round per worker count, e.g. 1,2,4,8')
    .option('--resources-sweep <list>', 'one round per generated RGD size, e.g. 1,5,10,50')
    .option(
      '--update-field <path>',
      'change this spec field once ACTIVE and time the re-reconcile, e.g. spec.replicas',
    )
    .option('--update-fraction <f>', 'fraction of instances to update (default 1)')
    .option('--delete', 'delete the instances at the end and time until gone')
    .option('--timeout <duration>', 'most time for the instances to become ACTIVE', '5m');
  return targetFlags(cmd)
    .addHelpText(
      'after',
      `
Examples:
  kubeperf bench kro                                          100 instances of a 5-resource chain, kro's defaults
  kubeperf bench kro --instances 1000 --workers 8 --queue-qps 0 --client-qps 0
  kubeperf bench kro --instances-sweep 10,100,1000 --resources 3
  kubeperf bench kro --workers-sweep 1,2,4,8 --instances 500
  kubeperf bench kro --rgd webapp.yaml --kubeconfig ~/.kube/config --controller external`,
    )
    .action((f: KroFlags) => runBenchPhase('kro', kroPhaseFromFlags(f), f));
}
