/**
 * Telling kubeperf's CEL gaps apart from errors kro would report too. An expression kro accepts but
 * kubeperf cannot parse, type-check or evaluate is *unchecked*: `rgd inspect` says so plainly and
 * never presents it as kro's verdict.
 */
import { KRO_CEL_FUNCTIONS } from './library.js';

export interface FunctionVerdict {
  /** Functions kro's environment declares but kubeperf does not implement. */
  unsupported: string[];
  /** Functions neither knows: kro rejects the expression ("uses unknown functions"). */
  unknown: string[];
}

export function classifyUnknownFunctions(
  names: readonly string[],
  known: ReadonlySet<string>,
): FunctionVerdict {
  const missing = names.filter((n) => !known.has(n));
  return {
    unsupported: missing.filter((n) => KRO_CEL_FUNCTIONS.has(n)),
    unknown: missing.filter((n) => !KRO_CEL_FUNCTIONS.has(n)),
  };
}

export function unsupportedFunctionsMessage(names: readonly string[]): string {
  const list = names.map((n) => `${n}()`).join(', ');
  return `kubeperf does not support CEL function${names.length > 1 ? 's' : ''} ${list} yet; kro would accept and evaluate it`;
}

/**
 * The reason a parse or type-check error comes from @marcbachmann/cel-js rather than from CEL as kro
 * runs it, or undefined when kro would report an error as well.
 */
export function kubeperfLimitation(expression: string, error: string): string | undefined {
  if (/Unexpected token: QUESTION/.test(error) && /[[{,]\s*\?/.test(expression)) {
    return 'kubeperf does not support optional list/map entries ([?x], {?k: v}) yet; kro would accept them';
  }
  if (/has\(\) invalid argument/.test(error) && /has\([^)]*\[/.test(expression)) {
    return 'kubeperf does not support has() through an index (has(a.b[0].c)) yet; kro would accept it';
  }
  return undefined;
}
