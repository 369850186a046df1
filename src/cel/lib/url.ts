/**
 * The parts of Go's net/url that the Kubernetes CEL URL library uses: ParseRequestURI (validation),
 * Parse, Hostname/Port, EscapedPath and Query, with Go's error messages. Strings are handled as
 * UTF-8 bytes where Go does (escaping); delimiters are ASCII, so indexes on the JS string agree.
 */
import { goQuote } from './go.js';

type Mode = 'path' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

export class GoURL {
  scheme = '';
  opaque = '';
  host = '';
  path = '';
  rawPath = '';
  rawQuery = '';
  fragment = '';
  forceQuery = false;
  user = '';

  hostname(): string {
    return splitHostPort(this.host)[0];
  }

  port(): string {
    return splitHostPort(this.host)[1];
  }

  escapedPath(): string {
    if (this.rawPath !== '' && validEncoded(this.rawPath, 'path')) {
      try {
        if (unescape(this.rawPath, 'path') === this.path) return this.rawPath;
      } catch {
        // fall through to re-escaping
      }
    }
    if (this.path === '*') return '*';
    return escape(this.path, 'path');
  }

  /** url.Values from RawQuery, errors ignored as URL.Query() does. */
  query(): Map<string, string[]> {
    const m = new Map<string, string[]>();
    let q = this.rawQuery;
    while (q !== '') {
      let key: string;
      const amp = q.indexOf('&');
      if (amp >= 0) {
        key = q.slice(0, amp);
        q = q.slice(amp + 1);
      } else {
        key = q;
        q = '';
      }
      if (key.includes(';') || key === '') continue;
      const eq = key.indexOf('=');
      const rawK = eq >= 0 ? key.slice(0, eq) : key;
      const rawV = eq >= 0 ? key.slice(eq + 1) : '';
      let k: string;
      let v: string;
      try {
        k = unescape(rawK, 'queryComponent');
        v = unescape(rawV, 'queryComponent');
      } catch {
        continue;
      }
      const list = m.get(k);
      if (list) list.push(v);
      else m.set(k, [v]);
    }
    return m;
  }

  /** url.URL.String(), used for equality. */
  toString(): string {
    let out = '';
    if (this.scheme) out += this.scheme + ':';
    if (this.opaque) out += this.opaque;
    else {
      if (this.scheme || this.host || this.user) {
        if (this.host || this.path || this.user) out += '//';
        if (this.user) out += this.user + '@';
        if (this.host) out += escape(this.host, 'host');
      }
      const p = this.escapedPath();
      if (p !== '' && p[0] !== '/' && this.host !== '') out += '/';
      out += p;
    }
    if (this.forceQuery || this.rawQuery !== '') out += '?' + this.rawQuery;
    if (this.fragment !== '') out += '#' + escape(this.fragment, 'fragment');
    return out;
  }
}

function splitHostPort(hostPort: string): [string, string] {
  let host = hostPort;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(host.slice(colon))) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return [host, port];
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  for (const c of port.slice(1)) if (c < '0' || c > '9') return false;
  return true;
}

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const unhex = (c: string) => parseInt(c, 16);

function shouldEscape(c: number, mode: Mode): boolean {
  const ch = String.fromCharCode(c);
  if (/^[a-zA-Z0-9]$/.test(ch)) return false;
  if ((mode === 'host' || mode === 'zone') && `!$&'()*+,;=:[]<>"`.includes(ch)) return false;
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case 'path':
        return ch === '?';
      case 'userPassword':
        return ch === '@' || ch === '/' || ch === '?' || ch === ':';
      case 'queryComponent':
        return true;
      case 'fragment':
        return false;
      default:
        break;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

class UrlError extends Error {}

/** url.unescape: validates %-escapes (and host characters), decodes to a UTF-8 string. */
function unescape(s: string, mode: Mode): string {
  let n = 0;
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '%') {
      n++;
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        const rest = s.slice(i, i + 3);
        throw new UrlError(`invalid URL escape ${goQuote(rest)}`);
      }
      if (mode === 'host' && unhex(s[i + 1]!) < 8 && s.slice(i, i + 3) !== '%25') {
        throw new UrlError(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      }
      if (mode === 'zone') {
        const v = (unhex(s[i + 1]!) << 4) | unhex(s[i + 2]!);
        if (s.slice(i, i + 3) !== '%25' && v !== 0x20 && shouldEscape(v, 'host')) {
          throw new UrlError(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
        }
      }
      i += 3;
    } else {
      const code = c.charCodeAt(0);
      if ((mode === 'host' || mode === 'zone') && code < 0x80 && shouldEscape(code, mode)) {
        throw new UrlError(`invalid character ${goQuote(c)} in host name`);
      }
      i++;
    }
  }
  if (n === 0 && !(mode === 'queryComponent' && s.includes('+'))) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '%') {
      bytes.push((unhex(s[i + 1]!) << 4) | unhex(s[i + 2]!));
      i += 3;
    } else if (c === '+' && mode === 'queryComponent') {
      bytes.push(0x20);
      i++;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      i++;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function escape(s: string, mode: Mode): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (shouldEscape(b, mode)) {
      if (b === 0x20 && mode === 'queryComponent') out += '+';
      else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    } else out += String.fromCharCode(b);
  }
  return out;
}

function validEncoded(s: string, mode: Mode): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (`!$&'()*+,;=:@[]%`.includes(c)) continue;
    if (shouldEscape(c.charCodeAt(0), mode)) return false;
  }
  return true;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c === '+' || c === '-' || c === '.') {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function validUserinfo(s: string): boolean {
  for (const c of s) {
    if (/^[A-Za-z0-9]$/.test(c)) continue;
    if (`-._:~!$&'()*+,;=%@`.includes(c)) continue;
    return false;
  }
  return true;
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) {
      return (
        unescape(host.slice(0, zone), 'host') +
        unescape(host.slice(zone, i), 'zone') +
        unescape(host.slice(i), 'host')
      );
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
    }
  }
  return unescape(host, 'host');
}

function parseAuthority(u: GoURL, authority: string): void {
  const i = authority.lastIndexOf('@');
  u.host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i < 0) return;
  const userinfo = authority.slice(0, i);
  if (!validUserinfo(userinfo)) throw new UrlError('net/url: invalid userinfo');
  u.user = userinfo;
  const colon = userinfo.indexOf(':');
  unescape(colon < 0 ? userinfo : userinfo.slice(0, colon), 'userPassword');
  if (colon >= 0) unescape(userinfo.slice(colon + 1), 'userPassword');
}

function parse(raw: string, viaRequest: boolean): GoURL {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw new UrlError('net/url: invalid control character in URL');
  }
  if (raw === '' && viaRequest) throw new UrlError('empty url');
  const u = new GoURL();
  if (raw === '*') {
    u.path = '*';
    return u;
  }
  let rest: string;
  [u.scheme, rest] = getScheme(raw);
  u.scheme = u.scheme.toLowerCase();
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest;
      return u;
    }
    if (viaRequest) throw new UrlError('invalid URI for request');
    const slash = rest.indexOf('/');
    const segment = slash >= 0 ? rest.slice(0, slash) : rest;
    if (segment.includes(':')) throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    parseAuthority(u, authority);
  }
  u.path = unescape(rest, 'path');
  u.rawPath = escape(u.path, 'path') === rest ? '' : rest;
  return u;
}

function wrap(raw: string, fn: () => GoURL): GoURL {
  try {
    return fn();
  } catch (e) {
    if (e instanceof UrlError) throw new Error(`parse ${goQuote(raw)}: ${e.message}`);
    throw e;
  }
}

/** url.ParseRequestURI: an absolute URI or an absolute path, no fragment handling. */
export function parseRequestURI(raw: string): GoURL {
  return wrap(raw, () => parse(raw, true));
}

/** url.Parse (fragment split off first). */
export function parseURL(raw: string): GoURL {
  const hash = raw.indexOf('#');
  const base = hash >= 0 ? raw.slice(0, hash) : raw;
  const u = wrap(base, () => parse(base, false));
  if (hash >= 0) u.fragment = unescapeFragment(raw, raw.slice(hash + 1));
  return u;
}

function unescapeFragment(raw: string, frag: string): string {
  try {
    return unescape(frag, 'fragment');
  } catch (e) {
    throw new Error(`parse ${goQuote(raw)}: ${(e as Error).message}`);
  }
}
