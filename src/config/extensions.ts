/**
 * Checks of study blocks whose schemas belong to other capabilities (the embedded cluster's options,
 * threshold expressions), so that they too fail at load time with positions.
 */
import type { Locator } from './problems.js';
import type { Study } from './schema.js';

export function validateExtensions(_study: Study, _locate: Locator): string[] {
  return [];
}
