/**
 * What a kind's validation is made of, like a registry strategy's Validate / ValidateUpdate /
 * status ValidateUpdate (pkg/registry/<group>/<kind>/strategy.go).
 */
import type { ErrorList } from './field.js';
import { type Obj } from './values.js';

export interface KindValidator {
  /** Strategy.Validate: a new object, after defaulting and name generation. */
  create(obj: Obj): ErrorList;
  /** Strategy.ValidateUpdate (default: metadata update rules, then `create` of the new object). */
  update?(obj: Obj, old: Obj): ErrorList;
  /** The status strategy's ValidateUpdate (default: metadata update rules only). */
  status?(obj: Obj, old: Obj): ErrorList;
}
