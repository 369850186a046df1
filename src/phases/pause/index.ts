/**
 * `pause`: wait between phases (kube-burner's jobPause), e.g. to let controllers settle before the
 * next measurement. Interruptible.
 */
import { z } from 'zod';
import { parseDuration } from '../../config/duration.js';
import type { PhaseType } from '../types.js';

const Options = z.strictObject({
  duration: z
    .string()
    .refine((s) => parseDuration(s) !== undefined, 'must be a duration such as 500ms, 10s or 2m'),
});
type Options = z.infer<typeof Options>;

export const pausePhase: PhaseType<Options> = {
  type: 'pause',
  description: 'Wait for a duration between phases (interruptible).',
  options: Options,
  plan: (o) => ({ steps: [`pause ${o.duration}`], requests: 0, needsCluster: false }),
  run: (o, ctx) =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        ctx.signal.removeEventListener('abort', done);
        resolve({});
      };
      const timer = setTimeout(done, parseDuration(o.duration)!);
      ctx.signal.addEventListener('abort', done, { once: true });
    }),
};
