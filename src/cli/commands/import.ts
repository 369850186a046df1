/**
 * `kubeperf import kube-burner CONFIG`: prints the kubeperf study a kube-burner config runs as (what
 * `kubeperf run CONFIG` runs), with the notes on what has no effect here as comments.
 */
import { writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { translateKubeBurnerFile } from '../../kubeburner/load.js';
import { collect, printHuman, writeStdout } from '../io.js';

interface ImportFlags {
  userData?: string;
  set?: string[];
  output?: string;
}

export function importCommand(): Command {
  const kubeBurner = new Command('kube-burner')
    .description('Print the kubeperf study equivalent to a kube-burner config')
    .argument('<config>', 'kube-burner config (rendered with the environment and --user-data)')
    .option('--user-data <file>', 'variables for the config template')
    .addOption(
      new Option('--set <path=value>', 'override a config value, e.g. jobs.0.jobIterations=5').argParser(
        collect,
      ),
    )
    .option('-o, --output <file>', 'write the study here (template paths are rewritten relative to it)')
    .action(async (config: string, f: ImportFlags) => {
      const { translation } = translateKubeBurnerFile(config, { userData: f.userData, set: f.set });
      const study = translation.study as { phases: { objects?: { objectTemplate?: string }[] }[] };
      if (f.output) {
        // Template paths are relative to the config; the study may live elsewhere.
        const from = dirname(resolve(config));
        const to = dirname(resolve(f.output));
        for (const p of study.phases)
          for (const o of p.objects ?? [])
            if (o.objectTemplate && !o.objectTemplate.includes('\n') && !isAbsolute(o.objectTemplate))
              o.objectTemplate = relative(to, resolve(from, o.objectTemplate)) || '.';
      }
      const text =
        [
          `# kubeperf study translated from the kube-burner config ${config} (docs/kube-burner.md)`,
          ...translation.notes.map((n) => `# note: ${n}`),
        ].join('\n') +
        '\n' +
        stringify(study, { lineWidth: 0 });
      if (f.output) {
        writeFileSync(f.output, text);
        await printHuman(`wrote ${f.output}`);
      } else await writeStdout(text);
    });
  return new Command('import')
    .description('Translate configs of other tools into kubeperf studies')
    .addCommand(kubeBurner);
}
