/**
 * apimachinery's format checks (`util/validation`): each returns the list of messages the real
 * server prints, in its order and wording (including the double space its example lists produce).
 */

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (!examples.length) return `${msg} (regex used for validation is '${fmt}')`;
  let s = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) s += ' or ';
    s += `'${e}', `;
  });
  return `${s}regex used for validation is '${fmt}')`;
}

export const maxLenError = (n: number): string => `must be no more than ${n} characters`;
export const inclusiveRangeError = (lo: number, hi: number): string =>
  `must be between ${lo} and ${hi}, inclusive`;
export const emptyError = 'must be non-empty';
/** Byte length as Go's len() counts it. */
export const byteLength = (s: string): number => Buffer.byteLength(s);

const qnameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qnameRe = new RegExp(`^${qnameFmt}$`);
const qnameMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelRe = new RegExp(`^${dns1035LabelFmt}$`);

export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > 63) errs.push(maxLenError(63));
  if (!dns1123LabelRe.test(v))
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        dns1123LabelFmt,
        'my-name',
        '123-abc',
      ),
    );
  return errs;
}

export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRe.test(v))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        dns1123SubdomainFmt,
        'example.com',
      ),
    );
  return errs;
}

export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > 63) errs.push(maxLenError(63));
  if (!dns1035LabelRe.test(v))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        dns1035LabelFmt,
        'my-name',
        'abc-123',
      ),
    );
  return errs;
}

export function isQualifiedName(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (!prefix.length) errs.push(`prefix part ${emptyError}`);
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [
      `a qualified name ${regexError(qnameMsg, qnameFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (!name.length) errs.push(`name part ${emptyError}`);
  else if (byteLength(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!qnameRe.test(name))
    errs.push(`name part ${regexError(qnameMsg, qnameFmt, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

const labelValueFmt = `(${qnameFmt})?`;
const labelValueRe = new RegExp(`^${labelValueFmt}$`);
export function isValidLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(v))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        labelValueFmt,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  return errs;
}

function hasChDirPrefix(v: string): string[] {
  if (v === '.') return [`must not be '.'`];
  if (v === '..') return [`must not be '..'`];
  if (v.startsWith('..')) return [`must not start with '..'`];
  return [];
}

const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const configMapKeyRe = new RegExp(`^${configMapKeyFmt}$`);
export function isConfigMapKey(v: string): string[] {
  const errs: string[] = [];
  if (byteLength(v) > 253) errs.push(maxLenError(253));
  if (!configMapKeyRe.test(v))
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        configMapKeyFmt,
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  return errs.concat(hasChDirPrefix(v));
}

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarNameRe = new RegExp(`^${envVarNameFmt}$`);
export function isEnvVarName(v: string): string[] {
  const errs: string[] = [];
  if (!envVarNameRe.test(v))
    errs.push(
      regexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        envVarNameFmt,
        'my.env-name',
        'MY_ENV.NAME',
        'MyEnvName1',
      ),
    );
  return errs.concat(hasChDirPrefix(v));
}

export function isValidPortNum(p: number): string[] {
  return Number.isInteger(p) && p >= 1 && p <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

export function isValidPortName(p: string): string[] {
  const errs: string[] = [];
  if (byteLength(p) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(p))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(p)) errs.push('must contain at least one letter (a-z)');
  if (p.includes('--')) errs.push('must not contain consecutive hyphens');
  if (p.length > 0 && (p.startsWith('-') || p.endsWith('-')))
    errs.push('must not begin or end with a hyphen');
  return errs;
}

const percentRe = /^[0-9]+%$/;
export function isValidPercent(v: string): string[] {
  return percentRe.test(v)
    ? []
    : [
        regexError(
          "a valid percent string must be a numeric string followed by an ending '%'",
          '[0-9]+%',
          '1%',
          '93%',
        ),
      ];
}

const ipv4Re = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Go's net.ParseIP (IPv4 dotted quads, IPv6 via the URL parser). */
export function parseIp(v: string): { family: 'IPv4' | 'IPv6' } | undefined {
  if (ipv4Re.test(v)) return { family: 'IPv4' };
  if (!v.includes(':')) return undefined;
  try {
    new URL(`http://[${v}]/`);
    return { family: 'IPv6' };
  } catch {
    return undefined;
  }
}

export function isValidIP(v: string): string[] {
  return parseIp(v) ? [] : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
}

/** A ValidateNameFunc: `prefix` for generateName (a trailing '-' is allowed there). */
export type NameFn = (name: string, prefix: boolean) => string[];

const maskTrailingDash = (n: string): string => (n.length > 1 && n.endsWith('-') ? `${n.slice(0, -2)}a` : n);

export const nameIsDNSSubdomain: NameFn = (n, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(n) : n);
export const nameIsDNSLabel: NameFn = (n, prefix) => isDNS1123Label(prefix ? maskTrailingDash(n) : n);
export const nameIsDNS1035Label: NameFn = (n, prefix) => isDNS1035Label(prefix ? maskTrailingDash(n) : n);
export const validateNamespaceName: NameFn = nameIsDNSLabel;

/** path.ValidatePathSegmentName: what every name must be to sit in a URL path. */
export const validatePathSegmentName: NameFn = (name, prefix) => {
  if (!prefix && (name === '.' || name === '..')) return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const illegal of ['/', '%']) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
};
