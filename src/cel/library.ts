/**
 * The CEL libraries on top of @marcbachmann/cel-js, assembled per profile:
 * - `kro`: kro's environment (pkg/cel/environment.go): cel-go ext Strings/Lists/Encoders/Bindings,
 *   optionals, two-variable comprehensions, the Kubernetes libraries (lists, regex, URL, quantity,
 *   IP, CIDR, semver) and kro's own (random, maps, json, hash, lists, runtime conditions);
 * - `kubernetes`: what kube-apiserver offers CRD validation rules: the same cel-go extensions and
 *   Kubernetes libraries (semver with normalization), plus ext.Sets; no kro functions.
 * What kubeperf cannot offer yet is listed in UNSUPPORTED_CEL (docs/rgd.md prints it) and reported
 * by `rgd inspect` as kubeperf's limitation, never as kro's verdict.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { registerCelGoExtensions, registerSets } from './lib/ext.js';
import { registerKroLibraries } from './lib/kro.js';
import { registerKubernetesLibraries } from './lib/kubernetes.js';

export { formatString } from './lib/ext.js';

export type CelProfile = 'kro' | 'kubernetes';

export function registerKroLibrary(env: Environment): Environment {
  registerCelGoExtensions(env);
  registerKubernetesLibraries(env, { semverNormalize: false });
  registerKroLibraries(env);
  return env;
}

export function registerKubernetesLibrary(env: Environment): Environment {
  registerCelGoExtensions(env);
  registerKubernetesLibraries(env, { semverNormalize: true });
  registerSets(env);
  return env;
}

/** CEL that kro accepts and kubeperf cannot check or evaluate yet (docs, `rgd inspect` warnings). */
export const UNSUPPORTED_CEL: readonly { name: string; why: string }[] = [
  {
    name: 'optional list/map entries [?x], {?k: v}',
    why: 'a parser feature @marcbachmann/cel-js does not have',
  },
  {
    name: 'has() through an index (has(a.b[0].c))',
    why: "cel-js's has() accepts field selections only; a.b[0].?c.hasValue() works",
  },
  { name: 'omit()', why: 'behind kro feature gate CELOmitFunction (default off); not modelled' },
  {
    name: 'library type names as values (type(x) == net.IP)',
    why: 'cel-js has no identifiers for registered type names',
  },
];

/**
 * Every function and macro name kro's CEL environment declares (cel-go standard library and the
 * libraries above, kro v0.9 / k8s.io/apiserver v0.35). A name kubeperf does not know but kro does is
 * kubeperf's limitation; a name neither knows is an error kro reports too.
 */
export const KRO_CEL_FUNCTIONS: ReadonlySet<string> = new Set(
  [
    // cel-go standard library and macros
    'has all exists exists_one map filter size matches contains startsWith endsWith int uint double string',
    'bytes bool type dyn duration timestamp getFullYear getMonth getDayOfYear getDayOfMonth getDate',
    'getDayOfWeek getHours getMinutes getSeconds getMilliseconds',
    // ext.Strings, ext.Lists, ext.Encoders, ext.Bindings, optionals, two-variable comprehensions
    'charAt indexOf lastIndexOf lowerAscii upperAscii replace split substring trim join quote format reverse',
    'slice flatten range distinct sort sortBy encode decode bind of ofNonZeroValue none hasValue value or',
    'orValue optMap optFlatMap existsOne transformList transformMap transformMapEntry',
    // Kubernetes libraries
    'isSorted sum min max find findAll url isURL getScheme getHost getHostname getPort getEscapedPath',
    'getQuery quantity isQuantity sign isGreaterThan isLessThan compareTo asApproximateFloat asInteger',
    'isInteger add sub ip isIP isCanonical family isUnspecified isLoopback isLinkLocalMulticast',
    'isLinkLocalUnicast isGlobalUnicast cidr isCIDR containsIP containsCIDR masked prefixLength semver',
    'isSemver major minor patch',
    // kro
    'seededString seededInt merge deepMerge marshal unmarshal sha256 md5 fnv64a setAtIndex insertAtIndex',
    'removeAtIndex omit newCondition condition',
  ]
    .join(' ')
    .split(' '),
);

/** Identifiers that name library namespaces, never variables (dependency extraction skips them). */
export const LIBRARY_NAMESPACES: ReadonlySet<string> = new Set([
  'lists',
  'strings',
  'base64',
  'random',
  'json',
  'hash',
  'cel',
  'optional',
  'math',
  'ip',
  'sets',
]);
