/**
 * URL → what is being addressed: a non-resource path, a discovery document, or a resource request
 * (group/version, namespace, resource, name, subresource, watch). No regexes on the hot path.
 */
export type Route =
  | { kind: 'nonResource'; path: string }
  | { kind: 'discovery'; doc: 'api' | 'apis' | 'group' | 'resources'; group?: string; groupVersion?: string }
  | {
      kind: 'resource';
      groupVersion: string;
      /** Set when the group/version exists in the URL but this resource may not. */
      plural: string;
      ns: string;
      name?: string;
      subresource?: string;
      watchPath: boolean;
      /** Too many segments or similar: 404. */
      bad?: boolean;
    };

function decode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

export function route(pathname: string): Route {
  const segs = pathname.split('/').filter((s) => s !== '');
  if (segs[0] === 'api') {
    if (segs.length === 1) return { kind: 'discovery', doc: 'api' };
    const gv = segs[1]!;
    if (segs.length === 2) return { kind: 'discovery', doc: 'resources', groupVersion: gv };
    return resourceRoute(gv, segs.slice(2).map(decode));
  }
  if (segs[0] === 'apis') {
    if (segs.length === 1) return { kind: 'discovery', doc: 'apis' };
    if (segs.length === 2) return { kind: 'discovery', doc: 'group', group: segs[1]! };
    const gv = `${segs[1]}/${segs[2]}`;
    if (segs.length === 3) return { kind: 'discovery', doc: 'resources', groupVersion: gv };
    return resourceRoute(gv, segs.slice(3).map(decode));
  }
  return { kind: 'nonResource', path: pathname };
}

function resourceRoute(groupVersion: string, rest: string[]): Route {
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  if (rest.length === 0) return { kind: 'resource', groupVersion, plural: '', ns: '', watchPath, bad: true };
  // namespaces/{ns}/{resource}[/{name}[/{sub}]] vs namespaces[/{name}[/{status|finalize}]]
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))
  ) {
    const [, ns, plural, name, subresource, ...extra] = rest as [string, string, string, string?, string?];
    return {
      kind: 'resource',
      groupVersion,
      plural,
      ns,
      name,
      subresource,
      watchPath,
      bad: extra.length > 0,
    };
  }
  const [plural, name, subresource, ...extra] = rest as [string, string?, string?];
  return {
    kind: 'resource',
    groupVersion,
    plural,
    ns: '',
    name,
    subresource,
    watchPath,
    bad: extra.length > 0,
  };
}
