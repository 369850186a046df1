/**
 * kro's own CEL libraries (github.com/kubernetes-sigs/kro pkg/cel/library): random, maps, json,
 * hash, lists and runtime (custom status conditions). `random.*` is a port of kro's algorithm, so
 * the strings and ints are the ones kro produces for the same seed.
 */
import { createHash } from 'node:crypto';
import type { Environment } from '@marcbachmann/cel-js';
import { celToJson } from './ext.js';
import { celTypeName, isMapValue, mapEntries } from './compare.js';
import { goQuote } from './go.js';
import {
  plain,
  registerNamespaced,
  type Checker,
  type Ctx,
  type Evaluator,
  type MacroInput,
  type MacroState,
  type Node,
} from './macros.js';

const ALPHANUMERIC = '0123456789abcdefghijklmnopqrstuvwxyz';

/** kro random.seededString: characters from 4-byte windows of sha256(seed). */
export function seededString(length: bigint, seed: string): string {
  if (length <= 0n) throw new Error('random.seededString length must be positive');
  const n = Number(length);
  let hash = createHash('sha256').update(seed).digest();
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    let start = (i * 4) % hash.length;
    if (start + 4 > hash.length) {
      hash = createHash('sha256')
        .update(Buffer.concat([hash, out.subarray(0, i)]))
        .digest();
      start = 0;
    }
    out[i] = ALPHANUMERIC.charCodeAt(hash.readUInt32BE(start) % ALPHANUMERIC.length);
  }
  return out.toString('latin1');
}

/** kro random.seededInt: min + (first 8 bytes of sha256(seed) as uint64) mod (max - min). */
export function seededInt(min: bigint, max: bigint, seed: string): bigint {
  if (min >= max) throw new Error('random.seededInt min must be less than max');
  const v = createHash('sha256').update(seed).digest().readBigUInt64BE(0);
  return BigInt.asIntN(64, min + BigInt.asIntN(64, v % BigInt.asUintN(64, max - min)));
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      prev &&
      v &&
      typeof prev === 'object' &&
      typeof v === 'object' &&
      !Array.isArray(prev) &&
      !Array.isArray(v)
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function registerLists(env: Environment): void {
  const checkIndex = (fn: string, i: bigint, size: number, inclusive: boolean) => {
    if (i < 0n || i > BigInt(size) || (!inclusive && i === BigInt(size))) {
      throw new Error(`lists.${fn}: index ${i} out of bounds [0, ${size}${inclusive ? ']' : ')'}`);
    }
    return Number(i);
  };
  registerNamespaced(env, 'lists', 'setAtIndex', [
    {
      params: ['list', 'int', 'dyn'],
      returns: 'list',
      handler: ((l: unknown[], i: bigint, v: unknown) => {
        const out = [...l];
        out[checkIndex('setAtIndex', i, l.length, false)] = v;
        return out;
      }) as never,
    },
  ]);
  registerNamespaced(env, 'lists', 'insertAtIndex', [
    {
      params: ['list', 'int', 'dyn'],
      returns: 'list',
      handler: ((l: unknown[], i: bigint, v: unknown) => {
        const out = [...l];
        out.splice(checkIndex('insertAtIndex', i, l.length, true), 0, v);
        return out;
      }) as never,
    },
  ]);
  registerNamespaced(env, 'lists', 'removeAtIndex', [
    {
      params: ['list', 'int'],
      returns: 'list',
      handler: ((l: unknown[], i: bigint) => {
        const out = [...l];
        out.splice(checkIndex('removeAtIndex', i, l.length, false), 1);
        return out;
      }) as never,
    },
  ]);
}

function registerHashes(env: Environment): void {
  for (const algo of ['sha256', 'md5'] as const) {
    registerNamespaced(env, 'hash', algo, [
      {
        params: ['string'],
        returns: 'bytes',
        handler: ((s: string) => new Uint8Array(createHash(algo).update(s).digest())) as never,
      },
    ]);
  }
  registerNamespaced(env, 'hash', 'fnv64a', [
    {
      params: ['string'],
      returns: 'bytes',
      handler: ((s: string) => {
        let h = 0xcbf29ce484222325n;
        for (const byte of Buffer.from(s)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
        const out = Buffer.alloc(8);
        out.writeBigUInt64BE(h);
        return new Uint8Array(out);
      }) as never,
    },
  ]);
}

/** kro.run.Condition: the value runtime.newCondition / runtime.condition return. */
export class Condition {
  constructor(
    readonly type = '',
    readonly status = '',
    readonly reason = '',
    readonly message = '',
  ) {}
  equals(o: Condition): boolean {
    return (
      this.type === o.type &&
      this.status === o.status &&
      this.reason === o.reason &&
      this.message === o.message
    );
  }
}

const CONDITION_KEYS = ['type', 'status', 'reason', 'message'] as const;
const STATUSES = new Set(['True', 'False', 'Unknown']);

function conditionFrom(v: unknown): Condition {
  if (v instanceof Condition) return v;
  if (!isMapValue(v))
    throw new Error(`runtime.condition: unexpected condition element type ${celTypeName(v)}`);
  const m = new Map(mapEntries(v));
  const read = (k: string) => (typeof m.get(k) === 'string' ? (m.get(k) as string) : '');
  return new Condition(read('type'), read('status'), read('reason'), read('message'));
}

/** runtime.condition(obj, type): obj.status.conditions[type], or an empty Condition. */
function conditionOf(obj: unknown, wanted: string): Condition {
  if (!isMapValue(obj)) throw new Error(`runtime.condition: obj must be an object, got ${celTypeName(obj)}`);
  const status = new Map(mapEntries(obj)).get('status');
  if (status === undefined) return new Condition();
  if (!isMapValue(status)) throw new Error('runtime.condition: obj.status must be an object');
  const conds = new Map(mapEntries(status)).get('conditions');
  if (conds === undefined) return new Condition();
  if (!Array.isArray(conds)) throw new Error('runtime.condition: obj.status.conditions must be a list');
  return conds.map(conditionFrom).find((c) => c.type === wanted) ?? new Condition();
}

/**
 * runtime.newCondition({type: …, status: …, reason: …, message: …}): kro rewrites the bare
 * identifier keys at parse time and rejects anything else with these messages.
 */
function newConditionMacro({ ast, args, receiver }: MacroInput): MacroState | { callAst: Node } {
  if (receiver?.op !== 'id' || receiver.args !== 'runtime') return plain(ast);
  const map = args[0]!;
  if (map.op !== 'map') throw new Error('runtime.newCondition: argument must be a map literal');
  const entries = map.args as [Node, Node][];
  const values = new Map<string, Node>();
  for (const [k, v] of entries) {
    if (k.op !== 'id') {
      throw new Error(
        'runtime.newCondition: keys must be bare identifiers (type, status, reason, message); quoted or computed keys are not allowed',
      );
    }
    const name = k.args as string;
    if (!(CONDITION_KEYS as readonly string[]).includes(name)) {
      throw new Error(
        `runtime.newCondition: unknown key ${goQuote(name)} (allowed: type, status, reason, message)`,
      );
    }
    if (values.has(name)) throw new Error(`runtime.newCondition: duplicate key ${goQuote(name)}`);
    values.set(name, v);
  }
  if (!values.has('type')) throw new Error("runtime.newCondition: 'type' is required");
  if (!values.has('status')) throw new Error("runtime.newCondition: 'status' is required");
  return {
    ast,
    async: false,
    typeCheck(checker: Checker, _macro: MacroState, ctx: Ctx) {
      for (const v of values.values()) {
        const t = checker.check(v, ctx);
        if (t.kind !== 'dyn' && t.type !== 'string') {
          throw checker.createError(
            'no_matching_overload',
            `found no matching overload for 'newCondition' applied to 'kro.run.Runtime.(map(string, ${checker.formatType(t)}))'`,
            v,
          );
        }
      }
      ast.setMeta('async', false);
      return checker.getType('kro.run.Condition');
    },
    evaluate(ev: Evaluator, _macro: MacroState, ctx: Ctx) {
      const out: Record<string, string> = {};
      for (const [k, node] of values) {
        const v = ev.run(node, ctx);
        if (typeof v !== 'string')
          throw new Error(`runtime.newCondition: ${k} must be a string, got ${celTypeName(v)}`);
        out[k] = v;
      }
      if (out.type === '') throw new Error('runtime.newCondition: type must not be empty');
      if (!STATUSES.has(out.status!)) {
        throw new Error(
          `runtime.newCondition: status must be one of True, False, Unknown (got ${goQuote(out.status!)})`,
        );
      }
      return new Condition(out.type, out.status, out.reason ?? '', out.message ?? '');
    },
  };
}

function registerRuntime(env: Environment): void {
  env.registerType('kro.run.Condition', {
    ctor: Condition,
    fields: { type: 'string', status: 'string', reason: 'string', message: 'string' },
  } as unknown as new () => unknown);
  env.registerOperator('kro.run.Condition == kro.run.Condition', (a: Condition, b: Condition) => a.equals(b));
  env.registerFunction(
    'dyn.newCondition(ast): kro.run.Condition',
    newConditionMacro as unknown as (...a: unknown[]) => unknown,
  );
  registerNamespaced(
    env,
    'runtime',
    'condition',
    [{ params: ['dyn', 'string'], returns: 'kro.run.Condition', handler: conditionOf as never }],
    // `runtime` stays a reference: kro allows it only in status.conditions.
    { reference: true },
  );
}

export function registerKroLibraries(env: Environment): void {
  registerNamespaced(env, 'random', 'seededString', [
    { params: ['int', 'string'], returns: 'string', handler: seededString as never },
  ]);
  registerNamespaced(env, 'random', 'seededInt', [
    { params: ['int', 'int', 'string'], returns: 'int', handler: seededInt as never },
  ]);
  env
    .registerFunction('map.merge(map): map', (a: Record<string, unknown>, b: Record<string, unknown>) => ({
      ...a,
      ...b,
    }))
    .registerFunction('map.deepMerge(map): map', deepMerge);
  registerNamespaced(env, 'json', 'marshal', [
    { params: ['dyn'], returns: 'string', handler: ((v: unknown) => celToJson(v)) as never },
  ]);
  registerNamespaced(env, 'json', 'unmarshal', [
    { params: ['string'], returns: 'dyn', handler: ((s: string) => JSON.parse(s) as unknown) as never },
  ]);
  registerHashes(env);
  registerLists(env);
  registerRuntime(env);
}
