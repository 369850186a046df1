/**
 * `kubeperf rgd inspect` and `kubeperf rgd generate`: kro RGD validation, graph facts and expression
 * costs before deploying; deterministic scale-test RGDs. No cluster needed.
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { COMPLEXITIES, type Complexity } from '../../cel/complexity.js';
import { CelEngine } from '../../cel/engine.js';
import { InputError } from '../../core/errors.js';
import { formatInspect } from '../../rgd/format.js';
import { generateRgd, SHAPES, type Shape } from '../../rgd/generate.js';
import { inspectDocument, toMermaid, type InspectReport } from '../../rgd/inspect.js';
import { locateRgdError, readYamlDocuments } from '../../rgd/load.js';
import { writeStdout } from '../io.js';

interface InspectFlags {
  json?: boolean;
  mermaid?: boolean;
  instance?: string;
}

function loadInstanceSpec(file: string): Record<string, unknown> {
  const v = readYamlDocuments(file)[0]?.value;
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new InputError(`--instance ${file}: expected an instance object (with spec) or a spec map`);
  }
  const obj = v as Record<string, unknown>;
  const spec = 'spec' in obj && 'kind' in obj ? obj.spec : obj;
  if (!spec || typeof spec !== 'object' || Array.isArray(spec))
    throw new InputError(`--instance ${file}: spec must be a map`);
  return spec as Record<string, unknown>;
}

function inspectFiles(
  files: string[],
  flags: InspectFlags,
): { reports: InspectReport[]; problems: string[] } {
  const instanceSpec = flags.instance ? loadInstanceSpec(flags.instance) : undefined;
  const engine = new CelEngine();
  const reports: InspectReport[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const docs = readYamlDocuments(file).filter((d) => {
      const kind = (d.value as { kind?: unknown }).kind;
      return kind === 'ResourceGraphDefinition' || kind === 'ResourceGroup';
    });
    if (docs.length === 0)
      problems.push(`${file}: no ResourceGraphDefinition (kind: ResourceGraphDefinition) found`);
    for (const doc of docs) {
      const report = inspectDocument(doc.value, {
        file,
        instanceSpec,
        engine,
        documentWarnings: doc.warnings,
      });
      for (const e of report.errors) problems.push(`${locateRgdError(doc, e)}: ${e}`);
      reports.push(report);
    }
  }
  return { reports, problems };
}

function int(flag: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InputError(`--${flag}: "${v}" must be an integer ≥ ${min}`);
  return n;
}

export function rgdCommand(): Command {
  const rgd = new Command('rgd').description('Inspect and generate kro ResourceGraphDefinitions');
  rgd
    .command('inspect')
    .description('Validate RGDs and show their graph, order, depth and expression costs')
    .argument('<file...>', 'RGD YAML files')
    .option('--json', 'print JSON on stdout (one object per RGD; an array when there are several)')
    .option('--mermaid', 'print the dependency graph as a Mermaid diagram')
    .option('--instance <file>', 'sample instance (or its spec) to evaluate expressions against')
    .addHelpText(
      'after',
      `
An invalid RGD prints kro's error (what GraphAccepted would say) and exits 2. Expressions kro would
accept that kubeperf cannot check yet are listed as kubeperf's limitation; they do not change the exit code.

Examples:
  kubeperf rgd inspect examples/rgd/webapp.yaml
  kubeperf rgd inspect examples/rgd/*.yaml --json
  kubeperf rgd inspect webapp.yaml --mermaid > graph.mmd
  kubeperf rgd inspect webapp.yaml --instance my-instance.yaml`,
    )
    .action(async (files: string[], flags: InspectFlags) => {
      const { reports, problems } = inspectFiles(files, flags);
      if (flags.json) {
        await writeStdout(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2) + '\n');
        if (problems.length) process.exitCode = 2;
        return;
      }
      const valid = reports.filter((x) => x.valid);
      await writeStdout(
        valid.map((r) => (flags.mermaid ? toMermaid(r) + '\n' : formatInspect(r) + '\n\n')).join(''),
      );
      if (problems.length) {
        throw new InputError(`${problems.length} invalid ResourceGraphDefinition(s)`, {
          problems,
          hint: 'the message is what kro would report in the RGD GraphAccepted condition',
        });
      }
    });
  rgd
    .command('generate')
    .description(
      'Generate a valid, deterministic scale-test RGD (Deployments, Services, ConfigMaps, Secrets, Ingresses)',
    )
    .option('--resources <n>', 'number of resources', '10')
    .option('--deps <k>', 'dependencies per resource (random/layered) or branching factor (tree)', '2')
    .option('--shape <shape>', `graph shape: ${SHAPES.join(' | ')}`, 'random')
    .option('--complexity <level>', `expression complexity: ${COMPLEXITIES.join(' | ')}`, 'simple')
    .option('--seed <s>', 'seed (same options + seed → same RGD)', '1')
    .option('--kind <Kind>', 'kind of the generated API', 'ScaleTest')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  kubeperf rgd generate --resources 50 --shape layered --complexity complex --seed 7 -o big.yaml
  kubeperf rgd generate --resources 1000 --deps 2 | kubeperf rgd inspect /dev/stdin`,
    )
    .action(async (f: Record<string, string>) => {
      if (!SHAPES.includes(f.shape as Shape))
        throw new InputError(`--shape: "${f.shape}" is not one of ${SHAPES.join(', ')}`);
      if (!COMPLEXITIES.includes(f.complexity as Complexity)) {
        throw new InputError(`--complexity: "${f.complexity}" is not one of ${COMPLEXITIES.join(', ')}`);
      }
      if (!/^[A-Z][a-zA-Z0-9]*$/.test(f.kind!))
        throw new InputError(`--kind: "${f.kind}" must be UpperCamelCase`);
      const doc = generateRgd({
        resources: int('resources', f.resources!, 0),
        deps: int('deps', f.deps!, 0),
        shape: f.shape as Shape,
        complexity: f.complexity as Complexity,
        seed: int('seed', f.seed!, 0),
        kind: f.kind,
      });
      const yaml = stringify(doc, { lineWidth: 0 });
      if (f.output) writeFileSync(f.output, yaml);
      else await writeStdout(yaml);
    });
  return rgd;
}
