import { arch, cpus, platform, release, totalmem } from 'node:os';
import type { Results } from '../results/types.js';

/** The machine the load generator ran on, so results from different machines are not compared blindly. */
export function describeEnvironment(): Results['environment'] {
  const list = cpus();
  return {
    node: process.version,
    os: `${platform()} ${release()}`,
    arch: arch(),
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    totalMemoryBytes: totalmem(),
  };
}
