/**
 * Go regexp (RE2 syntax) on top of JS RegExp for the Kubernetes regex library (`find`, `findAll`):
 * leading inline flags, `\A` `\z`, POSIX classes and `(?P<name>…)` are translated; constructs RE2
 * rejects (backreferences, lookaround) are rejected here too. `findAll` follows Go's
 * FindAllString rules for empty matches, so results agree with kro item for item.
 */

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp | Error>();

function goError(pattern: string, reason: string): Error {
  return new Error(`error parsing regexp: ${reason}: \`${pattern}\``);
}

function translate(pattern: string): RegExp {
  let src = pattern;
  let flags = 'g';
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'i' || f === 'm' || f === 's') flags += f;
      else if (f !== 'U') throw goError(pattern, `invalid or unsupported Perl syntax: \`(?${f}\``);
      else throw goError(pattern, 'kubeperf does not support the (?U) flag');
    }
    src = src.slice(lead[0].length);
  }
  const look = /\(\?(<?[=!])/.exec(src);
  if (look) throw goError(pattern, `invalid or unsupported Perl syntax: \`(?${look[1]}\``);
  const backref = /(^|[^\\])(\\\\)*\\([1-9])/.exec(src);
  if (backref) throw goError(pattern, `invalid escape sequence: \`\\${backref[3]}\``);
  src = src
    .replace(/\(\?P</g, '(?<')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
      const cls = POSIX[name];
      if (!cls) throw goError(pattern, `invalid character class range: \`${m}\``);
      return neg ? `^${cls}` : cls;
    })
    .replace(/\\A/g, '(?<![\\s\\S])')
    .replace(/\\z/g, '(?![\\s\\S])');
  if (/\\[pP]/.test(src)) flags += 'u';
  try {
    return new RegExp(src, flags);
  } catch (e) {
    const reason = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    throw goError(pattern, reason.charAt(0).toLowerCase() + reason.slice(1));
  }
}

/** regexp.Compile, cached; throws with Go's "error parsing regexp: …" shape. */
export function goRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = translate(pattern);
    } catch (e) {
      re = e as Error;
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  if (re instanceof Error) throw re;
  return re;
}

/** Regexp.FindString: the leftmost match, or "". */
export function findString(s: string, pattern: string): string {
  const re = goRegex(pattern);
  re.lastIndex = 0;
  return re.exec(s)?.[0] ?? '';
}

/** Regexp.FindAllString(s, n): n < 0 means all; an empty match right after a match is skipped. */
export function findAllString(s: string, pattern: string, n: number): string[] {
  const re = goRegex(pattern);
  const out: string[] = [];
  let pos = 0;
  let prevMatchEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === pos) {
      if (start === prevMatchEnd) accept = false;
      const cp = s.codePointAt(pos);
      pos += cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
    } else pos = end;
    prevMatchEnd = end;
    if (accept) out.push(m[0]);
  }
  return out;
}
