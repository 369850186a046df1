/** Number and list flags of the bench commands: bad values are bad input (exit 2) naming the flag. */
import { InputError } from '../core/errors.js';

export function num(flag: string, v: string | undefined, integer = true): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < 0)
    throw new InputError(
      `--${flag}: "${v}" is not a ${integer ? 'non-negative integer' : 'non-negative number'}`,
    );
  return n;
}

/** A comma-separated list of non-negative integers. */
export function numList(flag: string, v: string | undefined): number[] | undefined {
  return v?.split(',').map((x) => num(flag, x.trim())!);
}
