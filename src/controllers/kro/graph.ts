/**
 * A registered RGD as the instance controller uses it: the compiled graph (src/rgd), the REST
 * mappings of the instance kind and of every resource kind (resolved from discovery when the RGD is
 * accepted, which is where kro reports "failed to get schema for resource …"), and kro's label keys
 * for its GVR.
 */
import type { KubeObject } from '../../kube/client.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import type { CompiledRgd } from '../../rgd/types.js';

export interface Graph {
  rgdName: string;
  rgdUid: string;
  rgd: CompiledRgd;
  instance: ResourceMapping;
  /** Resource id → mapping. */
  mappings: Map<string, ResourceMapping>;
  /** "group/version/resource", kro's keyFromGVR (dynamic_controller_* labels). */
  gvrKey: string;
  /** schema.GroupVersionResource.String(), kro's instance_* metric label. */
  gvrString: string;
  /** Topological position of each resource id (deletion and prune waves). */
  position: Map<string, number>;
}

export function gvrKey(m: ResourceMapping): string {
  return `${m.group ? m.group : ''}/${m.version}/${m.resource}`;
}

export function gvrString(m: ResourceMapping): string {
  return `${m.group ? `${m.group}/` : ''}${m.version}, Resource=${m.resource}`;
}

export function groupKind(m: ResourceMapping): string {
  return m.group ? `${m.kind}.${m.group}` : m.kind;
}

export function apiVersionOf(m: ResourceMapping): string {
  return m.group ? `${m.group}/${m.version}` : m.version;
}

export function makeGraph(
  rgdObj: KubeObject,
  rgd: CompiledRgd,
  instance: ResourceMapping,
  mappings: Map<string, ResourceMapping>,
): Graph {
  return {
    rgdName: rgdObj.metadata.name!,
    rgdUid: rgdObj.metadata.uid as string,
    rgd,
    instance,
    mappings,
    gvrKey: gvrKey(instance),
    gvrString: gvrString(instance),
    position: new Map(rgd.topologicalOrder.map((id, i) => [id, i])),
  };
}
