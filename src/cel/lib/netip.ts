/**
 * Go's net/netip as the Kubernetes CEL ip/cidr libraries use it: ParseAddr, ParsePrefix (with Go's
 * error text), the canonical String() (RFC 5952), the address-class predicates and prefix
 * containment. Addresses are 4 or 16 bytes; a zone is kept only so it can be rejected.
 */
import { goQuote } from './go.js';

class ParseAddrError extends Error {
  constructor(input: string, msg: string, at = '') {
    super(`ParseAddr(${goQuote(input)}): ${msg}${at ? ` (at ${goQuote(at)})` : ''}`);
  }
}

export class Addr {
  constructor(
    readonly bytes: Uint8Array,
    readonly zone = '',
  ) {}

  get is4(): boolean {
    return this.bytes.length === 4;
  }

  get is6(): boolean {
    return this.bytes.length === 16;
  }

  /** ::ffff:a.b.c.d */
  get is4In6(): boolean {
    const b = this.bytes;
    return this.is6 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  }

  private u16(i: number): number {
    return (this.bytes[2 * i]! << 8) | this.bytes[2 * i + 1]!;
  }

  equals(o: Addr): boolean {
    return (
      this.zone === o.zone &&
      this.bytes.length === o.bytes.length &&
      this.bytes.every((x, i) => x === o.bytes[i])
    );
  }

  toString(): string {
    if (this.is4) return Array.from(this.bytes).join('.');
    if (this.is4In6) return `::ffff:${Array.from(this.bytes.slice(12)).join('.')}`;
    let zeroStart = 255;
    let zeroEnd = 255;
    for (let i = 0; i < 8; i++) {
      let j = i;
      while (j < 8 && this.u16(j) === 0) j++;
      const l = j - i;
      if (l >= 2 && l > zeroEnd - zeroStart) {
        zeroStart = i;
        zeroEnd = j;
      }
    }
    let out = '';
    for (let i = 0; i < 8; i++) {
      if (i === zeroStart) {
        out += '::';
        i = zeroEnd;
        if (i >= 8) break;
      } else if (i > 0) out += ':';
      out += this.u16(i).toString(16);
    }
    return this.zone ? `${out}%${this.zone}` : out;
  }

  isUnspecified(): boolean {
    return this.bytes.every((x) => x === 0);
  }

  isLoopback(): boolean {
    if (this.is4) return this.bytes[0] === 127;
    return this.bytes.slice(0, 15).every((x) => x === 0) && this.bytes[15] === 1;
  }

  isMulticast(): boolean {
    return this.is4 ? (this.bytes[0]! & 0xf0) === 0xe0 : this.bytes[0] === 0xff;
  }

  isLinkLocalMulticast(): boolean {
    if (this.is4) return this.bytes[0] === 224 && this.bytes[1] === 0 && this.bytes[2] === 0;
    return (this.u16(0) & 0xffcf) === 0xff02;
  }

  isLinkLocalUnicast(): boolean {
    if (this.is4) return this.bytes[0] === 169 && this.bytes[1] === 254;
    return (this.u16(0) & 0xffc0) === 0xfe80;
  }

  isGlobalUnicast(): boolean {
    if (this.is4 && (this.isUnspecified() || this.bytes.every((x) => x === 255))) return false;
    return !this.isUnspecified() && !this.isLoopback() && !this.isMulticast() && !this.isLinkLocalUnicast();
  }
}

function parseIPv4Fields(input: string, s: string, out: Uint8Array, off: number): void {
  let val = 0;
  let pos = 0;
  let digLen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      if (digLen === 1 && val === 0)
        throw new ParseAddrError(input, 'IPv4 field has octet with leading zero');
      val = val * 10 + (c.charCodeAt(0) - 48);
      digLen++;
      if (val > 255) throw new ParseAddrError(input, 'IPv4 field has value >255');
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.')
        throw new ParseAddrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      if (pos === 3) throw new ParseAddrError(input, 'IPv4 address too long');
      out[off + pos++] = val;
      val = 0;
      digLen = 0;
    } else throw new ParseAddrError(input, 'unexpected character', s.slice(i));
  }
  if (pos < 3) throw new ParseAddrError(input, 'IPv4 address too short');
  out[off + 3] = val;
}

function parseIPv6(input: string): Addr {
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct !== -1) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') throw new ParseAddrError(input, 'zone must be a non-empty string');
  }
  const ip = new Uint8Array(16);
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return new Addr(ip, zone);
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const d = parseInt(s[off]!, 16);
      if (Number.isNaN(d) || !/[0-9a-fA-F]/.test(s[off]!)) break;
      acc = (acc << 4) + d;
      if (off > 3) throw new ParseAddrError(input, 'each group must have 4 or less digits', s);
      if (acc > 0xffff) throw new ParseAddrError(input, 'IPv6 field has value >=2^16', s);
    }
    if (off === 0)
      throw new ParseAddrError(input, 'each colon-separated field must have at least one digit', s);
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12)
        throw new ParseAddrError(
          input,
          'embedded IPv4 address must replace the final 2 fields of the address',
          s,
        );
      if (i + 4 > 16)
        throw new ParseAddrError(
          input,
          'too many hex fields to fit an embedded IPv4 at the end of the address',
          s,
        );
      parseIPv4Fields(input, s, ip, i);
      s = '';
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ':') throw new ParseAddrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) throw new ParseAddrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) throw new ParseAddrError(input, 'multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) throw new ParseAddrError(input, 'trailing garbage after address', s);
  if (i < 16) {
    if (ellipsis < 0) throw new ParseAddrError(input, 'address string too short');
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) {
    throw new ParseAddrError(input, 'the :: must expand to at least one field of zeros', s);
  }
  return new Addr(ip, zone);
}

/** netip.ParseAddr. */
export function parseAddr(s: string): Addr {
  for (const c of s) {
    if (c === '.') {
      const b = new Uint8Array(4);
      parseIPv4Fields(s, s, b, 0);
      return new Addr(b);
    }
    if (c === ':') return parseIPv6(s);
    if (c === '%') throw new ParseAddrError(s, 'missing IPv6 address');
  }
  throw new ParseAddrError(s, 'unable to parse IP');
}

export class Prefix {
  constructor(
    readonly addr: Addr,
    readonly bits: number,
  ) {}

  equals(o: Prefix): boolean {
    return this.bits === o.bits && this.addr.equals(o.addr);
  }

  toString(): string {
    return `${this.addr.toString()}/${this.bits}`;
  }

  masked(): Prefix {
    const b = Uint8Array.from(this.addr.bytes);
    for (let i = 0; i < b.length; i++) {
      const keep = Math.max(0, Math.min(8, this.bits - i * 8));
      b[i]! &= (0xff00 >> keep) & 0xff;
    }
    return new Prefix(new Addr(b), this.bits);
  }

  contains(ip: Addr): boolean {
    if (ip.zone || ip.bytes.length !== this.addr.bytes.length) return false;
    return new Prefix(ip, this.bits).masked().addr.equals(this.masked().addr);
  }
}

/** netip.ParsePrefix. */
export function parsePrefix(s: string): Prefix {
  const fail = (msg: string) => new Error(`netip.ParsePrefix(${goQuote(s)}): ${msg}`);
  const i = s.lastIndexOf('/');
  if (i < 0) throw fail("no '/'");
  let ip: Addr;
  try {
    ip = parseAddr(s.slice(0, i));
  } catch (e) {
    throw fail((e as Error).message);
  }
  if (ip.is6 && ip.zone) throw fail('IPv6 zones cannot be present in a prefix');
  const bitsStr = s.slice(i + 1);
  if ((bitsStr.length > 1 && (bitsStr[0]! < '1' || bitsStr[0]! > '9')) || !/^[0-9]{1,18}$/.test(bitsStr)) {
    throw fail(`bad bits after slash: ${goQuote(bitsStr)}`);
  }
  const bits = Number(bitsStr);
  if (bits < 0 || bits > (ip.is6 ? 128 : 32)) throw fail('prefix length out of range');
  return new Prefix(ip, bits);
}
