/** Shapes of the built-in type table (src/cluster/types/generated.ts). */
export interface FieldExtra {
  required?: 1;
  patchStrategy?: string;
  patchMergeKey?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
}

/** [jsonName, protobufNumber, type, description, extra?] */
export type FieldTuple = [string, number, string, string, FieldExtra?];

export interface MessageDef {
  /** Short description. */
  d: string;
  f: FieldTuple[];
  /** JSON carries TypeMeta (apiVersion, kind): a kind, not a nested type. */
  t?: 1;
}

export type MessageTable = Record<string, MessageDef>;
