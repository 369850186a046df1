/**
 * Runtime helpers called by generated fast-path code (jit.ts). Each returns a value only for the
 * exact CEL types its operation is defined on and otherwise throws, which sends the evaluation to
 * the interpreter. Small on purpose so V8 inlines them.
 */
class Bail extends Error {}
const BAIL = new Bail('bail');

const INT_MAX = 9223372036854775807n;
const INT_MIN = -9223372036854775808n;

function fail(): never {
  throw BAIL;
}
const isMap = (o: unknown): o is Record<string, unknown> =>
  o !== null && typeof o === 'object' && (o as object).constructor === Object;
const hasOwn = Object.prototype.hasOwnProperty;

/** Runtime helpers the generated code calls (small: V8 inlines them). */
export const H = {
  fail,
  v(a: Record<string, unknown>, k: string): unknown {
    const x = a[k];
    if (x === undefined || !hasOwn.call(a, k)) fail();
    return x;
  },
  sel(o: unknown, k: string): unknown {
    if (!isMap(o)) fail();
    const x = o[k];
    if (x === undefined || !hasOwn.call(o, k)) fail();
    return x;
  },
  has(o: unknown, k: string): boolean {
    if (!isMap(o)) fail();
    return hasOwn.call(o, k);
  },
  idx(o: unknown, i: unknown): unknown {
    if (Array.isArray(o)) {
      if (typeof i !== 'bigint') fail();
      const n = Number(i);
      if (n < 0 || n >= o.length) fail();
      return o[n];
    }
    if (isMap(o) && typeof i === 'string') {
      const x = o[i];
      if (x === undefined || !hasOwn.call(o, i)) fail();
      return x;
    }
    return fail();
  },
  b(x: unknown): boolean {
    if (x !== true && x !== false) fail();
    return x;
  },
  lt(x: unknown, y: unknown): boolean {
    const t = typeof x;
    if (t !== typeof y || (t !== 'bigint' && t !== 'number' && t !== 'string' && t !== 'boolean')) fail();
    return (x as number) < (y as number);
  },
  le(x: unknown, y: unknown): boolean {
    const t = typeof x;
    if (t !== typeof y || (t !== 'bigint' && t !== 'number' && t !== 'string' && t !== 'boolean')) fail();
    return (x as number) <= (y as number);
  },
  eq(x: unknown, y: unknown): boolean {
    if (x === null || y === null) {
      if (x === y) return true;
      return fail();
    }
    const t = typeof x;
    if (t !== typeof y || (t !== 'bigint' && t !== 'number' && t !== 'string' && t !== 'boolean')) fail();
    return x === y;
  },
  add(x: unknown, y: unknown): unknown {
    const t = typeof x;
    if (t === 'string' && typeof y === 'string') return (x as string) + y;
    if (t === 'bigint' && typeof y === 'bigint') {
      const r = (x as bigint) + y;
      if (r > INT_MAX || r < INT_MIN) fail();
      return r;
    }
    if (t === 'number' && typeof y === 'number') return (x as number) + y;
    if (Array.isArray(x) && Array.isArray(y)) return x.concat(y);
    return fail();
  },
  sub(x: unknown, y: unknown): unknown {
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      const r = x - y;
      if (r > INT_MAX || r < INT_MIN) fail();
      return r;
    }
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return fail();
  },
  mul(x: unknown, y: unknown): unknown {
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      const r = x * y;
      if (r > INT_MAX || r < INT_MIN) fail();
      return r;
    }
    if (typeof x === 'number' && typeof y === 'number') return x * y;
    return fail();
  },
  div(x: unknown, y: unknown): unknown {
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      if (y === 0n || (x === INT_MIN && y === -1n)) fail();
      return x / y;
    }
    if (typeof x === 'number' && typeof y === 'number') return x / y;
    return fail();
  },
  mod(x: unknown, y: unknown): unknown {
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      if (y === 0n || (x === INT_MIN && y === -1n)) fail();
      return x % y;
    }
    return fail();
  },
  neg(x: unknown): unknown {
    if (typeof x === 'bigint') {
      if (x === INT_MIN) fail();
      return -x;
    }
    if (typeof x === 'number') return -x;
    return fail();
  },
  not(x: unknown): boolean {
    if (x !== true && x !== false) fail();
    return !x;
  },
  in(x: unknown, c: unknown): boolean {
    const t = typeof x;
    if (Array.isArray(c)) {
      if (t !== 'bigint' && t !== 'string' && t !== 'boolean') fail();
      for (let i = 0; i < c.length; i++) {
        const e = c[i];
        if (typeof e !== t) fail();
        if (e === x) return true;
      }
      return false;
    }
    if (isMap(c) && t === 'string') return hasOwn.call(c, x as string);
    return fail();
  },
  size(x: unknown): bigint {
    if (typeof x === 'string') {
      let n = 0;
      for (let i = 0; i < x.length; i++) {
        const c = x.charCodeAt(i);
        if (c < 0xdc00 || c > 0xdfff) n++; // count code points: skip low surrogates
      }
      return BigInt(n);
    }
    if (Array.isArray(x)) return BigInt(x.length);
    if (isMap(x)) return BigInt(Object.keys(x).length);
    return fail();
  },
  str(x: unknown): string {
    if (typeof x === 'string') return x;
    if (typeof x === 'bigint') return x.toString();
    if (x === true) return 'true';
    if (x === false) return 'false';
    return fail();
  },
  int(x: unknown): bigint {
    if (typeof x === 'bigint') return x;
    if (typeof x === 'string' && /^[+-]?\d{1,18}$/.test(x)) return BigInt(x);
    return fail();
  },
  sw(s: unknown, p: unknown): boolean {
    if (typeof s !== 'string' || typeof p !== 'string') fail();
    return s.startsWith(p);
  },
  ew(s: unknown, p: unknown): boolean {
    if (typeof s !== 'string' || typeof p !== 'string') fail();
    return s.endsWith(p);
  },
  co(s: unknown, p: unknown): boolean {
    if (typeof s !== 'string' || typeof p !== 'string') fail();
    return s.includes(p);
  },
  join(l: unknown, sep: unknown): string {
    if (!Array.isArray(l) || typeof sep !== 'string') fail();
    for (let i = 0; i < l.length; i++) if (typeof l[i] !== 'string') fail();
    return l.join(sep);
  },
  list(l: unknown): unknown[] {
    if (!Array.isArray(l)) fail();
    return l;
  },
  all(l: unknown, f: (x: unknown) => unknown): boolean {
    const a = H.list(l);
    for (let i = 0; i < a.length; i++) {
      const r = f(a[i]);
      if (r === false) return false;
      if (r !== true) fail();
    }
    return true;
  },
  exists(l: unknown, f: (x: unknown) => unknown): boolean {
    const a = H.list(l);
    for (let i = 0; i < a.length; i++) {
      const r = f(a[i]);
      if (r === true) return true;
      if (r !== false) fail();
    }
    return false;
  },
  one(l: unknown, f: (x: unknown) => unknown): boolean {
    const a = H.list(l);
    let n = 0;
    for (let i = 0; i < a.length; i++) {
      const r = f(a[i]);
      if (r === true) n++;
      else if (r !== false) fail();
    }
    return n === 1;
  },
  filter(l: unknown, f: (x: unknown) => unknown): unknown[] {
    const a = H.list(l);
    const out: unknown[] = [];
    for (let i = 0; i < a.length; i++) {
      const r = f(a[i]);
      if (r === true) out.push(a[i]);
      else if (r !== false) fail();
    }
    return out;
  },
  map(l: unknown, f: (x: unknown) => unknown): unknown[] {
    const a = H.list(l);
    const out = new Array<unknown>(a.length);
    for (let i = 0; i < a.length; i++) out[i] = f(a[i]);
    return out;
  },
  mapIf(l: unknown, p: (x: unknown) => unknown, f: (x: unknown) => unknown): unknown[] {
    const a = H.list(l);
    const out: unknown[] = [];
    for (let i = 0; i < a.length; i++) {
      const r = p(a[i]);
      if (r === true) out.push(f(a[i]));
      else if (r !== false) fail();
    }
    return out;
  },
};
