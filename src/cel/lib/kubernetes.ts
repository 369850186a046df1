/**
 * The Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library) that kro enables — quantity, URL,
 * IP, CIDR, semver, regex and lists — with their type names, overloads and error messages.
 * Semantics come from the ports in quantity.ts, url.ts, netip.ts, semver.ts and regex.ts.
 */
import type { Environment } from '@marcbachmann/cel-js';
import {
  celCompare,
  celEquals,
  celTypeName,
  DurationCtor,
  durationNs,
  UIntCtor,
  type DurationLike,
} from './compare.js';
import { goQuote, inInt64 } from './go.js';
import { registerNamespaced } from './macros.js';
import { Addr, Prefix, parseAddr, parsePrefix } from './netip.js';
import { Quantity, parseQuantity } from './quantity.js';
import { findAllString, findString } from './regex.js';
import { Semver, normalizeAndParseSemver, parseSemver } from './semver.js';
import { GoURL, parseRequestURI, parseURL } from './url.js';

/**
 * Runtime class of each Kubernetes CEL type, registered under the type name Kubernetes uses. toJSON()
 * is the Go String() form, what a template field holding one of them renders as.
 */
export class URLValue {
  constructor(readonly url: GoURL) {}
  toJSON(): string {
    return this.url.toString();
  }
  equals(o: URLValue): boolean {
    return this.url.toString() === o.url.toString();
  }
}
export class IPValue {
  constructor(readonly addr: Addr) {}
  toJSON(): string {
    return this.addr.toString();
  }
  equals(o: IPValue): boolean {
    return this.addr.equals(o.addr);
  }
}
export class CIDRValue {
  constructor(readonly prefix: Prefix) {}
  toJSON(): string {
    return this.prefix.toString();
  }
  equals(o: CIDRValue): boolean {
    return this.prefix.equals(o.prefix);
  }
}
export class QuantityValue {
  constructor(readonly q: Quantity) {}
  toJSON(): string {
    return this.q.toString();
  }
  equals(o: QuantityValue): boolean {
    return this.q.cmp(o.q) === 0;
  }
}
export class SemverValue {
  constructor(readonly v: Semver) {}
  toJSON(): string {
    return this.v.toString();
  }
  equals(o: SemverValue): boolean {
    return this.v.compare(o.v) === 0;
  }
}

const Q = 'kubernetes.Quantity';
const URL_T = 'kubernetes.URL';
const IP_T = 'net.IP';
const CIDR_T = 'net.CIDR';
const SEMVER_T = 'kubernetes.Semver';

function typed(
  env: Environment,
  name: string,
  ctor: new (...a: never[]) => { equals(o: never): boolean },
): void {
  env.registerType(name, { ctor, fields: {} } as unknown as new () => unknown);
  env.registerOperator(`${name} == ${name}`, (a: { equals(o: unknown): boolean }, b: unknown) => a.equals(b));
}

/** The `isX(string)` checks: whether the `x(string)` conversion would succeed. */
const succeeds = (f: () => unknown) => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

function registerQuantity(env: Environment): void {
  typed(env, Q, QuantityValue);
  const cmp = (a: QuantityValue, b: QuantityValue) => a.q.cmp(b.q);
  env
    .registerFunction(`quantity(string): ${Q}`, (s: string) => new QuantityValue(parseQuantity(s)))
    .registerFunction('isQuantity(string): bool', (s: string) => succeeds(() => parseQuantity(s)))
    // Kubernetes declares sign as a global overload (cel.Overload), so it is `sign(q)`, not `q.sign()`.
    .registerFunction(`sign(${Q}): int`, (a: QuantityValue) => a.q.sign())
    .registerFunction(
      `${Q}.isGreaterThan(${Q}): bool`,
      (a: QuantityValue, b: QuantityValue) => cmp(a, b) === 1,
    )
    .registerFunction(`${Q}.isLessThan(${Q}): bool`, (a: QuantityValue, b: QuantityValue) => cmp(a, b) === -1)
    .registerFunction(`${Q}.compareTo(${Q}): int`, (a: QuantityValue, b: QuantityValue) => BigInt(cmp(a, b)))
    .registerFunction(`${Q}.asApproximateFloat(): double`, (a: QuantityValue) => a.q.asApproximateFloat())
    .registerFunction(`${Q}.asInteger(): int`, (a: QuantityValue) => {
      const v = a.q.asInt64();
      if (v === undefined) throw new Error('cannot convert value to integer');
      return v;
    })
    .registerFunction(`${Q}.isInteger(): bool`, (a: QuantityValue) => a.q.asInt64() !== undefined)
    .registerFunction(
      `${Q}.add(${Q}): ${Q}`,
      (a: QuantityValue, b: QuantityValue) => new QuantityValue(a.q.add(b.q)),
    )
    .registerFunction(
      `${Q}.add(int): ${Q}`,
      (a: QuantityValue, b: bigint) => new QuantityValue(a.q.add(Quantity.fromInt(b))),
    )
    .registerFunction(
      `${Q}.sub(${Q}): ${Q}`,
      (a: QuantityValue, b: QuantityValue) => new QuantityValue(a.q.sub(b.q)),
    )
    .registerFunction(
      `${Q}.sub(int): ${Q}`,
      (a: QuantityValue, b: bigint) => new QuantityValue(a.q.sub(Quantity.fromInt(b))),
    );
}

function registerURL(env: Environment): void {
  typed(env, URL_T, URLValue);
  env
    .registerFunction(`url(string): ${URL_T}`, (s: string) => {
      try {
        parseRequestURI(s);
        return new URLValue(parseURL(s));
      } catch (e) {
        throw new Error(`URL parse error during conversion from string: ${(e as Error).message}`);
      }
    })
    .registerFunction('isURL(string): bool', (s: string) => succeeds(() => parseRequestURI(s)))
    .registerFunction(`${URL_T}.getScheme(): string`, (u: URLValue) => u.url.scheme)
    .registerFunction(`${URL_T}.getHost(): string`, (u: URLValue) => u.url.host)
    .registerFunction(`${URL_T}.getHostname(): string`, (u: URLValue) => u.url.hostname())
    .registerFunction(`${URL_T}.getPort(): string`, (u: URLValue) => u.url.port())
    .registerFunction(`${URL_T}.getEscapedPath(): string`, (u: URLValue) => u.url.escapedPath())
    .registerFunction(`${URL_T}.getQuery(): map<string, list<string>>`, (u: URLValue) =>
      Object.fromEntries(u.url.query()),
    );
}

function ipOf(raw: string): Addr {
  let addr: Addr;
  try {
    addr = parseAddr(raw);
  } catch (e) {
    throw new Error(
      `IP Address ${goQuote(raw)} parse error during conversion from string: ${(e as Error).message}`,
    );
  }
  if (addr.zone) throw new Error(`IP address ${goQuote(raw)} with zone value is not allowed`);
  if (addr.is4In6) throw new Error(`IPv4-mapped IPv6 address ${goQuote(raw)} is not allowed`);
  return addr;
}

function cidrOf(raw: string): Prefix {
  let p: Prefix;
  try {
    p = parsePrefix(raw);
  } catch (e) {
    // Kubernetes wraps the error twice (parseCIDR, then stringToCIDR); kept verbatim.
    throw new Error(`network address parse error during conversion from string: ${(e as Error).message}`);
  }
  if (p.addr.is4In6) throw new Error(`IPv4-mapped IPv6 address ${goQuote(raw)} is not allowed`);
  return p;
}

/** stringToCIDR adds its own prefix to parseCIDR's, so Kubernetes' message says it twice. */
function stringToCIDR(raw: string): Prefix {
  try {
    return cidrOf(raw);
  } catch (e) {
    throw new Error(`network address parse error during conversion from string: ${(e as Error).message}`);
  }
}

function registerIP(env: Environment): void {
  typed(env, IP_T, IPValue);
  env
    .registerFunction(`ip(string): ${IP_T}`, (s: string) => new IPValue(ipOf(s)))
    .registerFunction('isIP(string): bool', (s: string) => succeeds(() => ipOf(s)))
    .registerFunction(`string(${IP_T}): string`, (v: IPValue) => v.addr.toString())
    .registerFunction(`${IP_T}.family(): int`, (v: IPValue) => (v.addr.is4 ? 4n : 6n))
    .registerFunction(`${IP_T}.isUnspecified(): bool`, (v: IPValue) => v.addr.isUnspecified())
    .registerFunction(`${IP_T}.isLoopback(): bool`, (v: IPValue) => v.addr.isLoopback())
    .registerFunction(`${IP_T}.isLinkLocalMulticast(): bool`, (v: IPValue) => v.addr.isLinkLocalMulticast())
    .registerFunction(`${IP_T}.isLinkLocalUnicast(): bool`, (v: IPValue) => v.addr.isLinkLocalUnicast())
    .registerFunction(`${IP_T}.isGlobalUnicast(): bool`, (v: IPValue) => v.addr.isGlobalUnicast());
  registerNamespaced(env, 'ip', 'isCanonical', [
    {
      params: ['string'],
      returns: 'bool',
      handler: ((s: string) => ipOf(s).toString() === s) as never,
    },
  ]);
}

function registerCIDR(env: Environment): void {
  typed(env, CIDR_T, CIDRValue);
  // As Kubernetes writes it: Masked() == PrefixFrom(other.Addr(), bits), the other address unmasked,
  // so cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') is false in kube-apiserver and kro too.
  const containsCIDR = (c: CIDRValue, o: Prefix) =>
    c.prefix.masked().equals(new Prefix(o.addr, c.prefix.bits)) && c.prefix.bits <= o.bits;
  env
    .registerFunction(`cidr(string): ${CIDR_T}`, (s: string) => new CIDRValue(stringToCIDR(s)))
    .registerFunction('isCIDR(string): bool', (s: string) => succeeds(() => cidrOf(s)))
    .registerFunction(`string(${CIDR_T}): string`, (c: CIDRValue) => c.prefix.toString())
    .registerFunction(`${CIDR_T}.containsIP(string): bool`, (c: CIDRValue, s: string) =>
      c.prefix.contains(ipOf(s)),
    )
    .registerFunction(`${CIDR_T}.containsIP(${IP_T}): bool`, (c: CIDRValue, ip: IPValue) =>
      c.prefix.contains(ip.addr),
    )
    .registerFunction(`${CIDR_T}.containsCIDR(string): bool`, (c: CIDRValue, s: string) =>
      containsCIDR(c, stringToCIDR(s)),
    )
    .registerFunction(`${CIDR_T}.containsCIDR(${CIDR_T}): bool`, (c: CIDRValue, o: CIDRValue) =>
      containsCIDR(c, o.prefix),
    )
    .registerFunction(`${CIDR_T}.ip(): ${IP_T}`, (c: CIDRValue) => new IPValue(c.prefix.addr))
    .registerFunction(`${CIDR_T}.masked(): ${CIDR_T}`, (c: CIDRValue) => new CIDRValue(c.prefix.masked()))
    .registerFunction(`${CIDR_T}.prefixLength(): int`, (c: CIDRValue) => BigInt(c.prefix.bits));
}

function registerSemver(env: Environment, normalize: boolean): void {
  typed(env, SEMVER_T, SemverValue);
  const cmp = (a: SemverValue, b: SemverValue) => a.v.compare(b.v);
  env
    .registerFunction(`semver(string): ${SEMVER_T}`, (s: string) => new SemverValue(parseSemver(s)))
    .registerFunction('isSemver(string): bool', (s: string) => succeeds(() => parseSemver(s)))
    .registerFunction(`${SEMVER_T}.major(): int`, (v: SemverValue) => BigInt.asIntN(64, v.v.major))
    .registerFunction(`${SEMVER_T}.minor(): int`, (v: SemverValue) => BigInt.asIntN(64, v.v.minor))
    .registerFunction(`${SEMVER_T}.patch(): int`, (v: SemverValue) => BigInt.asIntN(64, v.v.patch))
    .registerFunction(
      `${SEMVER_T}.isGreaterThan(${SEMVER_T}): bool`,
      (a: SemverValue, b: SemverValue) => cmp(a, b) === 1,
    )
    .registerFunction(
      `${SEMVER_T}.isLessThan(${SEMVER_T}): bool`,
      (a: SemverValue, b: SemverValue) => cmp(a, b) === -1,
    )
    .registerFunction(`${SEMVER_T}.compareTo(${SEMVER_T}): int`, (a: SemverValue, b: SemverValue) =>
      BigInt(cmp(a, b)),
    );
  if (normalize) {
    // SemverVersion(1): kube-apiserver enables it; kro calls SemverLib() without options, so not kro.
    const parse = (s: string, n: boolean) => (n ? normalizeAndParseSemver(s) : parseSemver(s));
    env
      .registerFunction(
        `semver(string, bool): ${SEMVER_T}`,
        (s: string, n: boolean) => new SemverValue(parse(s, n)),
      )
      .registerFunction('isSemver(string, bool): bool', (s: string, n: boolean) =>
        succeeds(() => parse(s, n)),
      );
  }
}

function registerRegex(env: Environment): void {
  const illegal = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new Error(`Illegal regex: ${(e as Error).message}`);
    }
  };
  env
    .registerFunction('string.find(string): string', (s: string, re: string) =>
      illegal(() => findString(s, re)),
    )
    .registerFunction('string.findAll(string): list<string>', (s: string, re: string) =>
      illegal(() => findAllString(s, re, -1)),
    )
    .registerFunction('string.findAll(string, int): list<string>', (s: string, re: string, n: bigint) =>
      illegal(() => findAllString(s, re, Number(BigInt.asIntN(64, n)))),
    );
}

/** Sum with cel-go's typed addition (int overflow is an error, doubles add, durations add). */
function sum(l: unknown[]): unknown {
  if (l.length === 0) return 0n;
  let acc = l[0];
  for (let i = 1; i < l.length; i++) {
    const x = l[i];
    if (typeof acc === 'bigint' && typeof x === 'bigint') {
      acc = acc + x;
      if (!inInt64(acc as bigint)) throw new Error('integer overflow');
    } else if (typeof acc === 'number' && typeof x === 'number') acc = acc + x;
    else if (acc instanceof UIntCtor && x instanceof UIntCtor) {
      acc = new (UIntCtor as new (v: bigint) => unknown)(
        (acc as { valueOf(): bigint }).valueOf() + (x as { valueOf(): bigint }).valueOf(),
      );
    } else if (acc instanceof DurationCtor && x instanceof DurationCtor) {
      const total = durationNs(acc as DurationLike) + durationNs(x as DurationLike);
      acc = new (DurationCtor as new (s: bigint, n: number) => unknown)(
        total / 1_000_000_000n,
        Number(total % 1_000_000_000n),
      );
    } else throw new Error(`no such overload: ${celTypeName(acc)} + ${celTypeName(x)}`);
  }
  return acc;
}

function extreme(name: 'min' | 'max', l: unknown[]): unknown {
  if (l.length === 0) throw new Error(`${name} called on empty list`);
  const prefer = name === 'min' ? 1 : -1;
  let r = l[0];
  for (let i = 1; i < l.length; i++) if (celCompare(r, l[i]) === prefer) r = l[i];
  return r;
}

function registerLists(env: Environment): void {
  env
    .registerFunction('list.isSorted(): bool', (l: unknown[]) =>
      l.every((v, i) => i === 0 || celCompare(l[i - 1], v) !== 1),
    )
    .registerFunction('list.sum(): dyn', sum)
    .registerFunction('list.min(): dyn', (l: unknown[]) => extreme('min', l))
    .registerFunction('list.max(): dyn', (l: unknown[]) => extreme('max', l))
    .registerFunction('list.indexOf(dyn): int', (l: unknown[], v: unknown) =>
      BigInt(l.findIndex((x) => celEquals(x, v))),
    )
    .registerFunction('list.lastIndexOf(dyn): int', (l: unknown[], v: unknown) =>
      BigInt(l.findLastIndex((x) => celEquals(x, v))),
    );
}

export interface KubernetesLibraryOptions {
  /** `semver(s, normalize)` / `isSemver(s, normalize)` (kube-apiserver yes; kro no). */
  semverNormalize: boolean;
}

export function registerKubernetesLibraries(env: Environment, options: KubernetesLibraryOptions): void {
  registerLists(env);
  registerURL(env);
  registerRegex(env);
  registerQuantity(env);
  registerIP(env);
  registerCIDR(env);
  registerSemver(env, options.semverNormalize);
}
