/** What the CEL library tests share. */
import type { CelEngine } from '../engine.js';

/** The first line of the error `expr` fails with (compiling or evaluating); throws when it does not fail. */
export function errorOf(engine: CelEngine, expr: string, act: Record<string, unknown> = {}): string {
  try {
    engine.compile(expr).evaluate(act);
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
  throw new Error(`expected ${expr} to fail`);
}
