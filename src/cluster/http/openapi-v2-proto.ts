/**
 * The protobuf form of /openapi/v2: gnostic's `openapi.v2.Document` (github.com/google/gnostic-models,
 * openapiv2/OpenAPIv2.proto; field numbers from the descriptor compiled into kubectl 1.28), which
 * kubectl 1.28 fetches for `apply` and `explain --output plaintext-openapiv2`. Converted from the
 * Swagger JSON document; vendor extensions and defaults travel as `Any{yaml}` like gnostic writes
 * them (JSON is valid YAML).
 */
type Json = Record<string, unknown>;
type Part = Buffer | undefined;

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Buffer.from(out);
}

const tag = (num: number, wire: number) => varint(num * 8 + wire);
const bytesField = (num: number, b: Buffer): Buffer => Buffer.concat([tag(num, 2), varint(b.length), b]);
const str = (num: number, s: unknown): Part =>
  typeof s === 'string' ? bytesField(num, Buffer.from(s, 'utf8')) : undefined;
const strs = (num: number, list: unknown): Part[] =>
  Array.isArray(list) ? list.map((s) => str(num, s)) : [];
const bool = (num: number, b: unknown): Part =>
  typeof b === 'boolean' ? Buffer.concat([tag(num, 0), varint(b ? 1 : 0)]) : undefined;
const int = (num: number, n: unknown): Part =>
  typeof n === 'number' && n >= 0 ? Buffer.concat([tag(num, 0), varint(Math.trunc(n))]) : undefined;
function dbl(num: number, n: unknown): Part {
  if (typeof n !== 'number') return undefined;
  const b = Buffer.alloc(8);
  b.writeDoubleLE(n, 0);
  return Buffer.concat([tag(num, 1), b]);
}
const msg = (parts: Part[]): Buffer => Buffer.concat(parts.filter((p): p is Buffer => p !== undefined));
const sub = (num: number, parts: Part[]): Buffer => bytesField(num, msg(parts));

/** Any{yaml=2}. */
const any = (num: number, v: unknown): Part =>
  v === undefined ? undefined : sub(num, [str(2, JSON.stringify(v))]);

/** Vendor extensions (x-*) as NamedAny{name, value: Any{yaml}}. */
function extensions(num: number, o: Json): Part[] {
  return Object.keys(o)
    .filter((k) => k.startsWith('x-'))
    .map((k) => sub(num, [str(1, k), any(2, o[k])]));
}

function schema(s: Json): Part[] {
  const props = s.properties as Record<string, Json> | undefined;
  const ap = s.additionalProperties;
  const items = s.items;
  return [
    str(1, s.$ref),
    str(2, s.format),
    str(3, s.title),
    str(4, s.description),
    any(5, s.default),
    dbl(6, s.multipleOf),
    dbl(7, s.maximum),
    bool(8, s.exclusiveMaximum),
    dbl(9, s.minimum),
    bool(10, s.exclusiveMinimum),
    int(11, s.maxLength),
    int(12, s.minLength),
    str(13, s.pattern),
    int(14, s.maxItems),
    int(15, s.minItems),
    bool(16, s.uniqueItems),
    int(17, s.maxProperties),
    int(18, s.minProperties),
    ...strs(19, s.required),
    ...(Array.isArray(s.enum) ? s.enum.map((e) => any(20, e)) : []),
    ap === undefined
      ? undefined
      : sub(21, [typeof ap === 'boolean' ? bool(2, ap) : sub(1, schema(ap as Json))]),
    typeof s.type === 'string' ? sub(22, [str(1, s.type)]) : undefined,
    items === undefined
      ? undefined
      : sub(
          23,
          (Array.isArray(items) ? items : [items]).map((i) => sub(1, schema(i as Json))),
        ),
    ...(Array.isArray(s.allOf) ? s.allOf.map((x) => sub(24, schema(x as Json))) : []),
    props
      ? sub(
          25,
          Object.entries(props).map(([k, v]) => sub(1, [str(1, k), sub(2, schema(v))])),
        )
      : undefined,
    ...extensions(31, s),
  ];
}

function parameter(p: Json): Buffer {
  if (p.in === 'body') {
    return sub(1, [
      sub(1, [
        str(1, p.description),
        str(2, p.name),
        str(3, p.in),
        bool(4, p.required),
        sub(5, schema(p.schema as Json)),
      ]),
    ]);
  }
  // NonBodyParameter: query=3 / path=4 (their field numbers differ after `name`).
  const common = [bool(1, p.required), str(2, p.in), str(3, p.description), str(4, p.name)];
  const inner =
    p.in === 'path'
      ? sub(4, [...common, str(5, p.type), bool(19, p.uniqueItems)])
      : sub(3, [...common, str(6, p.type), bool(20, p.uniqueItems)]);
  return sub(1, [sub(2, [inner])]);
}

function operation(o: Json): Part[] {
  const responses = Object.entries((o.responses as Record<string, Json> | undefined) ?? {}).map(([code, r]) =>
    sub(1, [
      str(1, code),
      sub(2, [
        sub(1, [str(1, r.description), r.schema ? sub(2, [sub(1, schema(r.schema as Json))]) : undefined]),
      ]),
    ]),
  );
  return [
    ...strs(1, o.tags),
    str(2, o.summary),
    str(3, o.description),
    str(5, o.operationId),
    ...strs(6, o.produces),
    ...strs(7, o.consumes),
    ...((o.parameters as Json[] | undefined) ?? []).map((p) => bytesField(8, parameter(p))),
    sub(9, responses),
    ...strs(10, o.schemes),
    bool(11, o.deprecated),
    ...extensions(13, o),
  ];
}

const methods: [string, number][] = [
  ['get', 2],
  ['put', 3],
  ['post', 4],
  ['delete', 5],
  ['options', 6],
  ['head', 7],
  ['patch', 8],
];

function pathItem(p: Json): Part[] {
  return [
    ...methods.map(([m, n]) => (p[m] ? sub(n, operation(p[m] as Json)) : undefined)),
    ...((p.parameters as Json[] | undefined) ?? []).map((x) => bytesField(9, parameter(x))),
    ...extensions(10, p),
  ];
}

/** Encodes a Swagger 2.0 document (as /openapi/v2 serves it in JSON) as gnostic's Document message. */
export function swaggerToProto(doc: Json): Buffer {
  const info = (doc.info as Json | undefined) ?? {};
  const paths = (doc.paths as Record<string, Json> | undefined) ?? {};
  const defs = (doc.definitions as Record<string, Json> | undefined) ?? {};
  const secDefs = (doc.securityDefinitions as Record<string, Json> | undefined) ?? {};
  return msg([
    str(1, doc.swagger),
    sub(2, [str(1, info.title), str(2, info.version), str(3, info.description)]),
    sub(
      8,
      Object.entries(paths).map(([k, v]) => sub(2, [str(1, k), sub(2, pathItem(v))])),
    ),
    sub(
      9,
      Object.entries(defs).map(([k, v]) => sub(1, [str(1, k), sub(2, schema(v))])),
    ),
    ...((doc.security as Record<string, string[]>[] | undefined) ?? []).map((req) =>
      sub(
        12,
        Object.entries(req).map(([k, v]) => sub(1, [str(1, k), sub(2, strs(1, v))])),
      ),
    ),
    sub(
      13,
      Object.entries(secDefs).map(([k, v]) =>
        sub(1, [
          str(1, k),
          sub(2, [sub(2, [str(1, v.type), str(2, v.name), str(3, v.in), str(4, v.description)])]),
        ]),
      ),
    ),
    ...extensions(16, doc),
  ]);
}
