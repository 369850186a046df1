import { Command } from 'commander';
import { notAvailable } from '../not-available.js';

export function runCommand(): Command {
  return new Command('run').action(notAvailable('kubeperf run'));
}
