/**
 * Reading an untyped request body: the accessors every validation module uses on fields that may be
 * missing or of the wrong type (the type errors themselves are reported elsewhere).
 */
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A list of objects; an element that is not one reads as {}. */
export const arr = (v: unknown): Obj[] =>
  Array.isArray(v) ? (v as Obj[]).map((x) => (isObj(x) ? x : {})) : [];

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export const len = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

export const specOf = (o: Obj): Obj => (isObj(o.spec) ? o.spec : {});

/** A workload spec's pod template labels. */
export const templateLabels = (s: Obj): Record<string, string> | undefined =>
  ((s.template as Obj | undefined)?.metadata as Obj | undefined)?.labels as
    Record<string, string> | undefined;
