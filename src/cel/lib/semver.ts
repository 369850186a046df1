/**
 * blang/semver v4 as the Kubernetes CEL semver library uses it: Parse (strict, with its error
 * messages), Kubernetes' normalizeAndParse (the `semver(s, true)` form) and Compare.
 */
import { goQuote, parseUint64 } from './go.js';

const NUMBERS = /^[0-9]*$/;
const ALPHANUM = /^[0-9A-Za-z-]*$/;
const hasLeadingZeroes = (s: string) => s.length > 1 && s[0] === '0';

interface PreRelease {
  num?: bigint;
  str?: string;
}

export class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: readonly PreRelease[],
    readonly build: readonly string[],
  ) {}

  compare(o: Semver): number {
    for (const k of ['major', 'minor', 'patch'] as const) {
      if (this[k] !== o[k]) return this[k] > o[k] ? 1 : -1;
    }
    if (this.pre.length === 0 && o.pre.length === 0) return 0;
    if (this.pre.length === 0) return 1;
    if (o.pre.length === 0) return -1;
    let i = 0;
    for (; i < this.pre.length && i < o.pre.length; i++) {
      const c = comparePre(this.pre[i]!, o.pre[i]!);
      if (c !== 0) return c;
    }
    if (i === this.pre.length && i === o.pre.length) return 0;
    return i === this.pre.length ? -1 : 1;
  }

  toString(): string {
    let s = `${this.major}.${this.minor}.${this.patch}`;
    if (this.pre.length) s += '-' + this.pre.map((p) => p.str ?? String(p.num)).join('.');
    if (this.build.length) s += '+' + this.build.join('.');
    return s;
  }
}

function comparePre(a: PreRelease, b: PreRelease): number {
  if (a.num !== undefined && b.num === undefined) return -1;
  if (a.num === undefined && b.num !== undefined) return 1;
  if (a.num !== undefined && b.num !== undefined) return a.num === b.num ? 0 : a.num > b.num ? 1 : -1;
  return a.str === b.str ? 0 : a.str! > b.str! ? 1 : -1;
}

function part(s: string, what: string): bigint {
  if (!NUMBERS.test(s)) throw new Error(`Invalid character(s) found in ${what} number ${goQuote(s)}`);
  if (hasLeadingZeroes(s)) {
    const cap = what[0]!.toUpperCase() + what.slice(1);
    throw new Error(`${cap} number must not contain leading zeroes ${goQuote(s)}`);
  }
  return parseUint64(s);
}

/** semver.Parse */
export function parseSemver(s: string): Semver {
  if (s.length === 0) throw new Error('Version string empty');
  const parts = splitN(s, '.', 3);
  if (parts.length !== 3) throw new Error('No Major.Minor.Patch elements found');
  const major = part(parts[0]!, 'major');
  const minor = part(parts[1]!, 'minor');
  let patchStr = parts[2]!;
  let build: string[] = [];
  let pre: string[] = [];
  const b = patchStr.indexOf('+');
  if (b !== -1) {
    build = patchStr.slice(b + 1).split('.');
    patchStr = patchStr.slice(0, b);
  }
  const p = patchStr.indexOf('-');
  if (p !== -1) {
    pre = patchStr.slice(p + 1).split('.');
    patchStr = patchStr.slice(0, p);
  }
  const patch = part(patchStr, 'patch');
  const parsedPre = pre.map((x): PreRelease => {
    if (x.length === 0) throw new Error('Prerelease is empty');
    if (NUMBERS.test(x)) {
      if (hasLeadingZeroes(x))
        throw new Error(`Numeric PreRelease version must not contain leading zeroes ${goQuote(x)}`);
      return { num: parseUint64(x) };
    }
    if (ALPHANUM.test(x)) return { str: x };
    throw new Error(`Invalid character(s) found in prerelease ${goQuote(x)}`);
  });
  for (const x of build) {
    if (x.length === 0) throw new Error('Buildstr is empty');
    if (!ALPHANUM.test(x)) throw new Error(`Invalid character(s) found in build meta data ${goQuote(x)}`);
  }
  return new Semver(major, minor, patch, parsedPre, build);
}

/** Kubernetes' normalizeAndParse: drop a leading v, pad missing minor/patch, strip leading zeros. */
export function normalizeAndParseSemver(input: string): Semver {
  const s = input.startsWith('v') ? input.slice(1) : input;
  const parts = splitN(s, '.', 3).map((p) => {
    if (p.length <= 1) return p;
    let t = p.replace(/^0+/, '');
    if (t.length === 0 || !/[0-9]/.test(t[0]!)) t = '0' + t;
    return t;
  });
  if (parts.length < 3) {
    if (/[+-]/.test(parts[parts.length - 1]!))
      throw new Error('short version cannot contain PreRelease/Build meta data');
    while (parts.length < 3) parts.push('0');
  }
  return parseSemver(parts.join('.'));
}

/** strings.SplitN */
function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}
