/**
 * The command tree. Each command lives in commands/<name>.ts and owns its flags; this file only
 * assembles them, so `kubeperf --help` lists every command of the contract.
 */
import { Command } from 'commander';
import { analyzeCommand } from './commands/analyze.js';
import { benchCommand } from './commands/bench.js';
import { cleanupCommand } from './commands/cleanup.js';
import { collectCommand } from './commands/collect.js';
import { mergeCommand } from './commands/merge.js';
import { importCommand } from './commands/import.js';
import { deployCommand } from './commands/deploy.js';
import { clusterCommand } from './commands/cluster.js';
import { compareCommand } from './commands/compare.js';
import { dashboardsCommand, metricsCommand } from './commands/metrics.js';
import { controllerCommand } from './commands/controller.js';
import { reportCommand } from './commands/report.js';
import { rgdCommand } from './commands/rgd.js';
import { runCommand } from './commands/run.js';
import { visualizeCommand } from './commands/visualize.js';
import { toolVersion } from '../core/version.js';

export function buildProgram(): Command {
  const program = new Command('kubeperf')
    .description('Performance and scale studies of Kubernetes control planes and the operators on them')
    .version(toolVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .addCommand(runCommand())
    .addCommand(benchCommand())
    .addCommand(rgdCommand())
    .addCommand(reportCommand())
    .addCommand(analyzeCommand())
    .addCommand(visualizeCommand())
    .addCommand(compareCommand())
    .addCommand(clusterCommand())
    .addCommand(cleanupCommand())
    .addCommand(metricsCommand())
    .addCommand(dashboardsCommand())
    .addCommand(controllerCommand())
    .addCommand(deployCommand())
    .addCommand(collectCommand())
    .addCommand(mergeCommand())
    .addCommand(importCommand());
  // Bad flags are bad input (exit 2), not a tool failure; commander's own exits are routed through main.
  const exitOverride = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}
