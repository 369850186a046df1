import { NotAvailableError } from '../core/errors.js';

/** Action of a command whose capability has not landed yet: says so clearly, exit 1. */
export function notAvailable(what: string): () => never {
  return () => {
    throw new NotAvailableError(what);
  };
}
