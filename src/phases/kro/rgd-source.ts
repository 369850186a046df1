/**
 * The RGD a kro round uses: a file (validated at load with kro's messages and positions) or a
 * generated one (src/rgd/generate.ts) named for the phase. Generated resources of kinds the target
 * does not serve (or the study excluded) become ConfigMaps with the same metadata and `${}`
 * dependencies, so the graph's shape and CEL cost stay what was asked for.
 */
import { InputError } from '../../core/errors.js';
import { UnknownKindError, type RestMapper } from '../../kube/discovery.js';
import { compileRgd, RgdError } from '../../rgd/build.js';
import { generateRgd, type Shape } from '../../rgd/generate.js';
import { compileRgdFile, readYamlDocuments } from '../../rgd/load.js';
import type { CompiledRgd } from '../../rgd/types.js';
import type { Complexity } from '../../cel/complexity.js';
import type { GenerateOptions } from './options.js';

export interface RgdSource {
  doc: Record<string, unknown>;
  compiled: CompiledRgd;
  /** For plans and reports: "webapp.yaml" or "generated chain, 5 resources, simple CEL". */
  label: string;
  resources: number;
  depth: number;
  complexity?: string;
  warnings: string[];
}

function describe(
  doc: Record<string, unknown>,
  compiled: CompiledRgd,
  label: string,
  complexity?: string,
): RgdSource {
  return {
    doc,
    compiled,
    label,
    resources: compiled.resources.length,
    depth: compiled.depth,
    complexity,
    warnings: [],
  };
}

export function rgdFromFile(file: string): RgdSource {
  const docs = readYamlDocuments(file);
  const compiled = compileRgdFile(file);
  const i = docs.findIndex((d) => (d.value as { kind?: string })?.kind === 'ResourceGraphDefinition');
  if (i < 0 || !compiled[i]) {
    throw new InputError(`${file}: no ResourceGraphDefinition in the file`, {
      hint: 'rgd: must name a file with a kro.run/v1alpha1 ResourceGraphDefinition',
    });
  }
  const doc = docs[i]!.value as Record<string, unknown>;
  return describe(doc, compiled[i]!, file.split('/').pop()!);
}

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/** A generated RGD named `<name>` whose instances are of kind `<kind>`. */
export function generatedRgd(g: GenerateOptions, name: string, kind: string): RgdSource {
  const doc = generateRgd({
    resources: g.resources,
    deps: g.deps,
    shape: g.shape as Shape,
    complexity: g.complexity as Complexity,
    seed: g.seed,
    kind,
  });
  (doc.metadata as Record<string, unknown>).name = name;
  if (g.kinds) replaceKinds(doc, (k) => g.kinds!.includes(k as never));
  return describe(
    doc,
    compileRgd(doc),
    `generated ${g.shape}, ${g.resources} resources, ${g.complexity} CEL`,
    g.complexity,
  );
}

/** Instance kind for a generated RGD of a phase (UpperCamelCase, unique per round). */
export function generatedKind(phaseName: string, round: number | undefined): string {
  const base = `Kubeperf${pascal(phaseName) || 'Kro'}`;
  return round === undefined ? base : `${base}R${round}`;
}

/** Replaces templates of kinds not kept by ConfigMaps carrying the same metadata (and dependencies). */
function replaceKinds(doc: Record<string, unknown>, keep: (kind: string) => boolean): string[] {
  const replaced = new Set<string>();
  const resources = ((doc.spec as Record<string, unknown>).resources ?? []) as {
    template: Record<string, unknown>;
  }[];
  for (const r of resources) {
    const kind = String(r.template.kind);
    if (keep(kind)) continue;
    replaced.add(kind);
    r.template = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: r.template.metadata,
      data: { name: '${schema.spec.name}' },
    };
  }
  return [...replaced];
}

/**
 * For a generated RGD: replaces the kinds the target does not serve (e.g. Ingress on an embedded
 * control plane without networking.k8s.io) and recompiles; says what it replaced.
 */
export async function adaptToServedKinds(src: RgdSource, mapper: RestMapper): Promise<RgdSource> {
  const served = new Map<string, boolean>();
  for (const r of src.compiled.resources) {
    const k = `${r.apiVersion}/${r.kind}`;
    if (served.has(k)) continue;
    try {
      await mapper.resolve(r.apiVersion, r.kind);
      served.set(k, true);
    } catch (e) {
      if (!(e instanceof UnknownKindError)) throw e;
      served.set(k, false);
    }
  }
  if ([...served.values()].every(Boolean)) return src;
  const doc = structuredClone(src.doc);
  const byKind = new Map(src.compiled.resources.map((r) => [r.kind, `${r.apiVersion}/${r.kind}`]));
  const replaced = replaceKinds(doc, (kind) => served.get(byKind.get(kind) ?? '') !== false);
  let compiled: CompiledRgd;
  try {
    compiled = compileRgd(doc);
  } catch (e) {
    if (e instanceof RgdError)
      throw new InputError(`generated RGD after replacing ${replaced.join(', ')}: ${e.message}`);
    throw e;
  }
  return {
    ...src,
    doc,
    compiled,
    warnings: [
      ...src.warnings,
      `the target does not serve ${replaced.join(', ')}: those generated resources are ConfigMaps with the same dependencies`,
    ],
  };
}
