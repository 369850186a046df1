/**
 * Progress on stderr: a live bar per phase on a TTY (cli-progress), plain lines every few seconds
 * when stderr is not a TTY or CI=true, so CI logs stay readable.
 */
import { SingleBar } from 'cli-progress';
import type { ProgressReporter } from '../core/progress.js';

export type ProgressFactory = (phase: string) => ProgressReporter;

export function progressFactory(
  opts: { interactive?: boolean; write?: (line: string) => void } = {},
): ProgressFactory {
  const interactive = opts.interactive ?? (Boolean(process.stderr.isTTY) && !process.env.CI);
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  return (phase) => (interactive ? barReporter(phase) : lineReporter(phase, write));
}

/** Below this many items a rate says nothing ("5/5 expressions, 1/s"): a few long items are not a throughput. */
const MIN_ITEMS_FOR_RATE = 100;

function rateEta(done: number, total: number, startMs: number) {
  const s = (performance.now() - startMs) / 1000;
  const rate = s > 0 ? done / s : 0;
  const eta = rate > 0 && total > 0 ? Math.max(0, (total - done) / rate) : undefined;
  return { rate, eta, elapsed: s };
}

function barReporter(phase: string): ProgressReporter {
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${phase.padEnd(14)} {bar} {value}/{total} {unit} | {rateText}errors {errors} | ETA {etaText} {status}`,
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
    fps: 8,
  });
  let done = 0;
  let errors = 0;
  let total = 0;
  let start = performance.now();
  let started = false;
  const payload = () => {
    const { rate, eta } = rateEta(done, total, start);
    return {
      errors,
      rateText: done >= MIN_ITEMS_FOR_RATE ? `${Math.round(rate)}/s | ` : '',
      etaText: eta === undefined ? '-' : `${Math.ceil(eta)}s`,
    };
  };
  return {
    start(t = 0, unit = 'ops') {
      total = t;
      start = performance.now();
      started = true;
      bar.start(Math.max(t, 1), 0, { ...payload(), unit, status: '' });
    },
    advance(n = 1, e = 0) {
      done += n;
      errors += e;
      if (started) bar.update(done, payload());
    },
    status(text) {
      if (started) bar.update(done, { ...payload(), status: text });
    },
    finish() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function lineReporter(phase: string, write: (line: string) => void): ProgressReporter {
  let done = 0;
  let errors = 0;
  let total = 0;
  let unit = 'ops';
  let start = performance.now();
  let last = 0;
  let finished = false;
  const line = (final = false) => {
    const { rate, eta, elapsed } = rateEta(done, total, start);
    const of = total > 0 ? `/${total}` : '';
    const pct = total > 0 ? ` (${Math.floor((done / total) * 100)}%)` : '';
    const tail = final ? `in ${elapsed.toFixed(1)}s` : eta === undefined ? '' : `ETA ${Math.ceil(eta)}s`;
    const perSec = done >= MIN_ITEMS_FOR_RATE ? `, ${Math.round(rate)}/s` : '';
    write(`${phase}: ${done}${of} ${unit}${pct}${perSec}, errors ${errors} ${tail}`.trimEnd());
  };
  return {
    start(t = 0, u = 'ops') {
      total = t;
      unit = u;
      start = performance.now();
      last = start;
    },
    advance(n = 1, e = 0) {
      done += n;
      errors += e;
      const now = performance.now();
      if (now - last >= 5000) {
        last = now;
        line();
      }
    },
    status(text) {
      write(`${phase}: ${text}`);
    },
    finish() {
      // Both the phase and the runner may call finish(); report the final line once.
      if (!finished && (done > 0 || total > 0)) line(true);
      finished = true;
    },
  };
}
