/**
 * The Kubernetes CEL libraries against the cases of Kubernetes' own tests
 * (staging/src/k8s.io/apiserver/pkg/cel/library/*_test.go): expected values and error messages,
 * plus the documented examples of the functions those tests do not cover.
 */
import { describe, expect, it } from 'vitest';
import { CelEngine } from '../engine.js';
import { fromCelValue } from '../values.js';
import { errorOf } from './test-support.js';

const kro = new CelEngine({ cache: false });
const kube = new CelEngine({ cache: false, profile: 'kubernetes' });

const ev = (expr: string, engine = kro) => engine.compile(expr).evaluate({});
const err = (expr: string, engine = kro): string => errorOf(engine, expr);
const T = true;
const F = false;

function table(cases: [string, unknown][], engine = kro): void {
  const wrong = cases.filter(([expr, want]) => {
    try {
      const got = ev(expr, engine);
      return !(
        got === want ||
        JSON.stringify(got, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ===
          JSON.stringify(want, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))
      );
    } catch (e) {
      return `${expr}: ${(e as Error).message}`;
    }
  });
  expect(wrong).toEqual([]);
}

describe('quantity (quantity_test.go)', () => {
  it('parses, compares and does arithmetic like resource.Quantity', () => {
    table([
      ['quantity("12Mi") == quantity("12582912")', T],
      ['isQuantity("20")', T],
      ['isQuantity("20M")', T],
      ['isQuantity("20Mi")', T],
      ['isQuantity("20Mo")', F],
      ['isQuantity("10Mm")', F],
      ['quantity("200M") == quantity("200M")', T],
      ['quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")', T],
      [
        'quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M") && quantity("0.002G") == quantity("2000k")',
        T,
      ],
      ['quantity("200M") == quantity("0.3G")', F],
      ['quantity("50M").isLessThan(quantity("50Mi"))', T],
      ['quantity("50M").isLessThan(quantity("100M"))', T],
      ['quantity("100M").isLessThan(quantity("50M"))', F],
      ['quantity("50Mi").isGreaterThan(quantity("50M"))', T],
      ['quantity("150Mi").isGreaterThan(quantity("100Mi"))', T],
      ['quantity("50M").isGreaterThan(quantity("100M"))', F],
      ['quantity("200M").compareTo(quantity("0.2G"))', 0n],
      ['quantity("50M").compareTo(quantity("50Mi"))', -1n],
      ['quantity("50Mi").compareTo(quantity("50M"))', 1n],
      ['quantity("50k").add(quantity("20")) == quantity("50.02k")', T],
      ['quantity("50k").add(20).isLessThan(quantity("50020"))', F],
      ['quantity("50k").sub(quantity("20")) == quantity("49.98k")', T],
      ['quantity("50k").sub(20) == quantity("49980")', T],
      ['quantity("50k").add(20).sub(quantity("100k")).asInteger()', -49980n],
      ['quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger()', 20n],
      ['quantity("50k").asInteger()', 50000n],
      ['quantity("9999999999999999999999999999999999999G").isInteger()', F],
      ['quantity("50").isInteger()', T],
      ['quantity("50.703k").asApproximateFloat()', 50703],
      // documented examples (quantity.go)
      ['quantity("50000000G").isInteger()', T],
      ['quantity("50k").sub(20000).asApproximateFloat() == 30000.0', T],
      ['isQuantity("1,3G")', F],
      ['isQuantity("200K")', F],
      ['isQuantity("Three")', F],
      // sign is a global overload in Kubernetes
      ['sign(quantity("-5m"))', -1n],
      ['sign(quantity("0"))', 0n],
      // the int64 form only: 1000m is not an integer in Kubernetes either
      ['quantity("1000m").isInteger()', F],
      ['quantity("1.5Gi").asApproximateFloat()', 1610612736],
      ['quantity("500Mi").isLessThan(quantity("1Gi")) ? "small" : "large"', 'small'],
    ]);
  });

  it('reports resource.ParseQuantity errors', () => {
    expect(err('quantity("10Mo")')).toBe(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    expect(err('quantity("10Mm")')).toBe("unable to parse quantity's suffix");
    expect(err('quantity("9999999999999999999999999999999999999G").asInteger()')).toBe(
      'cannot convert value to integer',
    );
    expect(err('isQuantity([1, 2, 3])')).toMatch(/found no matching overload for 'isQuantity/);
  });

  it('has no mul/div: Kubernetes 1.36 adds them, kro v0.35 libraries do not have them', () => {
    expect(err('quantity("50k").mul(2)')).toMatch(/no matching overload/);
  });
});

describe('url (urls.go documented examples)', () => {
  it('parses absolute URIs and paths and returns their parts', () => {
    table([
      ['isURL("https://user:pass@example.com:80/path?query=val#fragment")', T],
      ['isURL("/absolute-path")', T],
      ['isURL("https://a:b:c/")', F],
      ['isURL("../relative-path")', F],
      ['url("/path").getScheme()', ''],
      ['url("https://example.com/").getScheme()', 'https'],
      ['url("https://example.com:80/").getHost()', 'example.com:80'],
      ['url("https://example.com/").getHost()', 'example.com'],
      ['url("https://[::1]:80/").getHost()', '[::1]:80'],
      ['url("https://[::1]/").getHost()', '[::1]'],
      ['url("/path").getHost()', ''],
      ['url("https://example.com:80/").getHostname()', 'example.com'],
      ['url("https://127.0.0.1:80/").getHostname()', '127.0.0.1'],
      ['url("https://[::1]:80/").getHostname()', '::1'],
      ['url("/path").getHostname()', ''],
      ['url("https://example.com:80/").getPort()', '80'],
      ['url("https://example.com/").getPort()', ''],
      ['url("/path").getPort()', ''],
      ['url("https://example.com/path").getEscapedPath()', '/path'],
      ['url("https://example.com/path with spaces/").getEscapedPath()', '/path%20with%20spaces/'],
      ['url("https://example.com").getEscapedPath()', ''],
      ['url("https://example.com/path?k1=a&k2=b&k2=c").getQuery()', { k1: ['a'], k2: ['b', 'c'] }],
      [
        'url("https://example.com/path?key with spaces=value with spaces").getQuery()',
        { 'key with spaces': ['value with spaces'] },
      ],
      ['url("https://example.com/path?").getQuery()', {}],
      ['url("https://example.com/path").getQuery()', {}],
      ['url("https://example.com/a#x") == url("https://example.com/a#x")', T],
    ]);
  });

  it("reports Go's net/url errors", () => {
    expect(err('url("https://a:b:c/")')).toBe(
      'URL parse error during conversion from string: parse "https://a:b:c/": invalid port ":c" after host',
    );
    expect(err('url("../relative-path")')).toBe(
      'URL parse error during conversion from string: parse "../relative-path": invalid URI for request',
    );
  });
});

describe('ip (ip_test.go)', () => {
  it('parses addresses and answers the address-class predicates', () => {
    table([
      ['ip("192.168.0.1") == ip("192.168.0.1")', T],
      ['isIP("192.168.0.1")', T],
      ['isIP("192.168.0.1.0")', F],
      ['ip.isCanonical("127.0.0.1")', T],
      ['ip("192.168.0.1").family()', 4n],
      ['ip("0.0.0.0").isUnspecified()', T],
      ['ip("127.0.0.1").isUnspecified()', F],
      ['ip("127.0.0.1").isLoopback()', T],
      ['ip("1.2.3.4").isLoopback()', F],
      ['ip("224.0.0.1").isLinkLocalMulticast()', T],
      ['ip("224.0.1.1").isLinkLocalMulticast()', F],
      ['ip("169.254.169.254").isLinkLocalUnicast()', T],
      ['ip("192.168.0.1").isLinkLocalUnicast()', F],
      ['ip("192.168.0.1").isGlobalUnicast()', T],
      ['ip("255.255.255.255").isGlobalUnicast()', F],
      ['ip("2001:db8::68") == ip("2001:DB8::68")', T],
      ['isIP("2001:db8::68")', T],
      ['isIP("2001:db8:::68")', F],
      ['ip.isCanonical("2001:db8::68")', T],
      ['ip.isCanonical("2001:DB8::68")', F],
      ['ip.isCanonical("2001:db8::0:0:0:abcd")', F],
      ['ip("2001:db8::68").family()', 6n],
      ['ip("::").isUnspecified()', T],
      ['ip("::1").isUnspecified()', F],
      ['ip("::1").isLoopback()', T],
      ['ip("2001:db8::abcd").isLoopback()', F],
      ['ip("ff02::1").isLinkLocalMulticast()', T],
      ['ip("fd00::1").isLinkLocalMulticast()', F],
      ['ip("fe80::1").isLinkLocalUnicast()', T],
      ['ip("fd80::1").isLinkLocalUnicast()', F],
      ['ip("2001:db8::abcd").isGlobalUnicast()', T],
      ['ip("ff00::1").isGlobalUnicast()', F],
      ['string(ip("192.168.0.1"))', '192.168.0.1'],
      ['string(ip("2001:0db8:0000:0000:0000:0000:0000:0001"))', '2001:db8::1'],
    ]);
  });

  it("reports netip.ParseAddr's errors in Kubernetes' wrapping", () => {
    expect(err('ip("192.168.0.1.0")')).toBe(
      'IP Address "192.168.0.1.0" parse error during conversion from string: ParseAddr("192.168.0.1.0"): IPv4 address too long',
    );
    expect(err('ip.isCanonical("127.0.0.1.0")')).toBe(
      'IP Address "127.0.0.1.0" parse error during conversion from string: ParseAddr("127.0.0.1.0"): IPv4 address too long',
    );
    expect(err('ip("2001:db8:::68")')).toBe(
      'IP Address "2001:db8:::68" parse error during conversion from string: ParseAddr("2001:db8:::68"): each colon-separated field must have at least one digit (at ":68")',
    );
    expect(err('ip("127.0.0.256")')).toMatch(/IPv4 field has value >255/);
    expect(err('ip("010.0.0.1")')).toMatch(/IPv4 field has octet with leading zero/);
    expect(err('ip("::ffff:1.2.3.4")')).toBe('IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed');
    expect(err('ip("fe80::1%eth0")')).toBe('IP address "fe80::1%eth0" with zone value is not allowed');
    expect(err('isIP(cidr("192.168.0.0/24"))')).toMatch(/found no matching overload for 'isIP\(net.CIDR\)'/);
  });

  it('resolves ip.isCanonical as a function even when a resource is called ip', () => {
    expect(
      kro
        .compile('ip.isCanonical("::1") && ip.metadata.name == "x"')
        .evaluate({ ip: { metadata: { name: 'x' } } }),
    ).toBe(true);
  });
});

describe('cidr (cidr_test.go)', () => {
  it('parses prefixes, tests containment and masks', () => {
    table([
      ['cidr(dyn("192.168.0.0/24")) == cidr("192.168.0.0/24")', T],
      ['cidr("192.168.0.0/24").containsIP(ip("192.168.0.1"))', T],
      ['cidr("192.168.0.0/24").containsIP(ip("192.168.1.1"))', F],
      ['cidr("192.168.0.0/24").containsIP("192.168.0.1")', T],
      ['cidr("192.168.0.0/24").containsIP("192.168.1.1")', F],
      ['cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/25"))', T],
      ['cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/23"))', F],
      ['cidr("192.168.0.0/24").containsCIDR("192.168.0.0/25")', T],
      ['cidr("192.168.0.0/24").containsCIDR("192.168.0.0/23")', F],
      ['cidr("192.168.0.0/24").ip() == ip("192.168.0.0")', T],
      ['cidr("192.168.0.0/24").masked() == cidr("192.168.0.0/24")', T],
      ['cidr("192.168.0.1/24").masked() == cidr("192.168.0.0/24")', T],
      ['cidr("192.168.0.1/24") == cidr("192.168.0.1/24").masked()', F],
      ['cidr("192.168.0.0/24").prefixLength()', 24n],
      ['cidr("2001:db8::/32") == cidr("2001:db8::/32")', T],
      ['cidr("2001:db8::/32").containsIP(ip("2001:db8::1"))', T],
      ['cidr("2001:db8::/32").containsIP(ip("2001:dc8::1"))', F],
      ['cidr("2001:db8::/32").containsIP("2001:db8::1")', T],
      ['cidr("2001:db8::/32").containsIP("2001:dc8::1")', F],
      ['cidr("2001:db8::/32").containsCIDR(cidr("2001:db8::/33"))', T],
      ['cidr("2001:db8::/32").containsCIDR(cidr("2001:db8::/31"))', F],
      ['cidr("2001:db8::/32").containsCIDR("2001:db8::/33")', T],
      ['cidr("2001:db8::/32").containsCIDR("2001:db8::/31")', F],
      ['cidr("2001:db8::/32").ip() == ip("2001:db8::")', T],
      ['cidr("2001:db8::/32").masked() == cidr("2001:db8::/32")', T],
      ['cidr("2001:db8:1::/32").masked() == cidr("2001:db8::/32")', T],
      ['cidr("2001:db8::/32").prefixLength()', 32n],
      ['string(cidr("192.168.0.0/24"))', '192.168.0.0/24'],
      ['isCIDR("192.168.0.0/33")', F],
      ['isCIDR("::1/129")', F],
      ['cidr("192.168.0.1/24").ip().family()', 4n],
      // Kubernetes compares the other CIDR's address unmasked (Masked() == PrefixFrom(addr, bits))
      ['cidr("192.168.0.0/16").containsCIDR("192.168.10.0/24")', F],
    ]);
  });

  it("reports Kubernetes' doubly wrapped netip.ParsePrefix errors", () => {
    expect(err('cidr("192.168.0.0/")')).toBe(
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/"): bad bits after slash: ""',
    );
    expect(err('cidr("2001:db8::/")')).toBe(
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("2001:db8::/"): bad bits after slash: ""',
    );
    expect(err('cidr(192168)')).toMatch(/found no matching overload for 'cidr\(int\)'/);
  });
});

describe('semver (semver_test.go)', () => {
  it('parses strictly (kro) and compares by precedence', () => {
    table([
      ['semver("1.2.3") == semver("1.2.3")', T],
      ['isSemver("1.2.3-beta.1+build.1")', T],
      ['isSemver("")', F],
      ['isSemver("v1.0.0")', F],
      ['isSemver(" 1.0.0")', F],
      ['isSemver("1. 0.0")', F],
      ['isSemver("1.0.0 ")', F],
      ['isSemver("01.01.01")', F],
      ['isSemver("1")', F],
      ['isSemver("1.1")', F],
      ['semver("1.2.3") == semver("1.0.0")', F],
      ['semver("1.0.0").isLessThan(semver("1.2.3"))', T],
      ['semver("1.0.0").isLessThan(semver("1.0.0"))', F],
      ['semver("1.2.3").isGreaterThan(semver("1.0.0"))', T],
      ['semver("1.0.0").isGreaterThan(semver("1.0.0"))', F],
      ['semver("1.2.3").compareTo(semver("1.2.3"))', 0n],
      ['semver("1.0.0").compareTo(semver("1.2.3"))', -1n],
      ['semver("1.2.3").compareTo(semver("1.0.0"))', 1n],
      ['semver("1.2.3").major()', 1n],
      ['semver("1.2.3").minor()', 2n],
      ['semver("1.2.3").patch()', 3n],
      ['semver("1.0.0-alpha").isLessThan(semver("1.0.0-alpha.1"))', T],
      ['semver("1.0.0-alpha.beta").isLessThan(semver("1.0.0-beta"))', T],
      ['semver("1.0.0-rc.1").isLessThan(semver("1.0.0"))', T],
      ['semver("1.0.0+build.1") == semver("1.0.0+build.2")', T],
    ]);
    expect(err('semver("v1.0")')).toBe('No Major.Minor.Patch elements found');
    expect(err('semver("1.2.03")')).toBe('Patch number must not contain leading zeroes "03"');
    expect(err('isSemver([1, 2, 3])')).toMatch(/found no matching overload for 'isSemver/);
  });

  it('normalizes only in the kubernetes profile (kro calls SemverLib() without SemverVersion(1))', () => {
    table(
      [
        ['isSemver("", true)', F],
        ['isSemver(" 1.0.0", true)', F],
        ['isSemver("1. 0.0", true)', F],
        ['isSemver("1.0.0 ", true)', F],
        ['isSemver("v1.0.0", true)', T],
        ['isSemver("01.01.01", true)', T],
        ['isSemver("1", true)', T],
        ['isSemver("1.1", true)', T],
        ['semver("v01.01", true) == semver("1.1.0")', T],
      ],
      kube,
    );
    expect(err('semver("1.0", true)')).toMatch(/found no matching overload for 'semver\(string, bool\)'/);
  });
});

describe('regex (regex.go)', () => {
  it("finds like Go's regexp, including FindAllString's empty-match rule", () => {
    table([
      ['"abc 123".find("[0-9]+")', '123'],
      ['"abc 123".find("xyz")', ''],
      ['"123 abc 456".findAll("[0-9]+")', ['123', '456']],
      ['"123 abc 456".findAll("[0-9]+", 1)', ['123']],
      ['"123 abc 456".findAll("xyz")', []],
      ['"123 abc 456".findAll("[0-9]+", 0)', []],
      // an empty match right after a match is skipped; other empty matches are kept
      ['"123 abc 456".findAll("[0-9]*")', ['123', '', '', '', '', '456']],
      ['"ab".findAll("a*")', ['a', '']],
      ['"AbC".findAll("(?i)[a-c]")', ['A', 'b', 'C']],
      ['"a1b2".findAll("[[:digit:]]")', ['1', '2']],
    ]);
    expect(err('"abc".find("[")')).toMatch(/^Illegal regex: error parsing regexp: .*: `\[`$/);
    expect(err('"abc".find("(?=a)")')).toBe(
      'Illegal regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`: `(?=a)`',
    );
  });
});

describe('lists (lists.go)', () => {
  it('isSorted, sum, min, max, indexOf, lastIndexOf with CEL equality and ordering', () => {
    table([
      ['[1, 2, 3].isSorted()', T],
      ["['a', 'b', 'b', 'c'].isSorted()", T],
      ['[2.0, 1.0].isSorted()', F],
      ['[1].isSorted()', T],
      ['[].isSorted()', T],
      ['[1, 3].sum()', 4n],
      ['[1.0, 3.0].sum()', 4],
      ["[duration('1m'), duration('1s')].sum() == duration('61s')", T],
      ['[].sum()', 0n],
      ['[1, 3].min()', 1n],
      ['[1, 3].max()', 3n],
      ['[1].min()', 1n],
      ['[1, 2, 2, 3].indexOf(2)', 1n],
      ["['a', 'b', 'b', 'c'].lastIndexOf('b')", 2n],
      ['[1.0].indexOf(1.1)', -1n],
      ["[].indexOf('string')", -1n],
      ['[[1], [2]].indexOf([2])', 1n],
    ]);
    expect(err('[].min()')).toBe('min called on empty list');
    expect(err('[].max()')).toBe('max called on empty list');
    expect(err('[9223372036854775807, 1].sum()')).toBe('integer overflow');
  });
});

describe('library values as data', () => {
  it("render as Go's String() form (templates, json.marshal)", () => {
    const out = (expr: string) => fromCelValue(ev(expr));
    expect(out('quantity("1.5")')).toBe('1500m');
    expect(out('quantity("1.5Gi")')).toBe('1536Mi');
    expect(out('quantity("0.5Ki")')).toBe('512');
    expect(out('quantity("2048Ki").add(quantity("1Mi"))')).toBe('3Mi');
    expect(out('ip("2001:DB8::1")')).toBe('2001:db8::1');
    expect(out('cidr("10.0.0.1/8").masked()')).toBe('10.0.0.0/8');
    expect(out('semver("1.2.3-rc.1+b")')).toBe('1.2.3-rc.1+b');
    expect(out('url("https://a.b/c d?x=1#f")')).toBe('https://a.b/c%20d?x=1#f');
    expect(ev('json.marshal({"q": quantity("1Gi")})')).toBe('{"q":"1Gi"}');
  });
});
