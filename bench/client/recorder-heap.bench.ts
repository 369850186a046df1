// Heap growth for 100,000 recorded ops (target ≤ 50 MB) and the recorder's CPU per record.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Recorder } from '../../src/metrics/recorder.js';
import { emit, log, recordSynthetic } from './util.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const OPS = 100_000;
gc();
const before = process.memoryUsage().heapUsed;
const rec = new Recorder(0);
const t0 = process.hrtime.bigint();
recordSynthetic(rec, OPS);
const cpuNsPerRecord = Number(process.hrtime.bigint() - t0) / OPS;
gc();
const after = process.memoryUsage().heapUsed;
const growthMb = (after - before) / 1024 / 1024;
const t1 = process.hrtime.bigint();
const snap = rec.snapshot();
const snapshotMs = Number(process.hrtime.bigint() - t1) / 1e6;
log(
  `heap +${growthMb.toFixed(1)} MB for ${OPS} ops; ${cpuNsPerRecord.toFixed(0)} ns/record; snapshot ${snapshotMs.toFixed(0)} ms; ${Object.keys(snap).length} ops`,
);
emit(
  'client/recorder-heap',
  [
    {
      name: 'heap growth for 100,000 recorded ops',
      value: Math.round(growthMb * 10) / 10,
      unit: 'MB',
      target: 50,
      pass: growthMb <= 50,
    },
    { name: 'recorder CPU per record', value: Math.round(cpuNsPerRecord), unit: 'ns' },
    { name: 'snapshot time (6 ops, 600 windows each)', value: Math.round(snapshotMs), unit: 'ms' },
  ],
  'heapUsed after forced GC, before vs after; ops spread over 600 one-second windows (per-window HDR histograms included)',
);
