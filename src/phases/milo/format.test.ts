import { describe, expect, it } from 'vitest';
import type { MiloData } from './data.js';
import { formatMilo } from './format.js';

const values = (cpu: number | null, mem: number | null) => ({
  apiserver_cpu_cores: cpu,
  apiserver_mem_bytes: mem,
  etcd_cpu_cores: null,
  etcd_mem_bytes: null,
});

describe('milo phase in the terminal summary', () => {
  it("puts the runner's figure beside the watch's, and says what is missing rather than printing zero", () => {
    const milo: MiloData = {
      mode: 'run',
      testId: '87c3a8b8',
      orgName: 'perf-87c3a8b8',
      knobs: {},
      projects: {
        requested: 20,
        created: 20,
        ready: 20,
        readySeconds: 2.0336,
        watchReadySeconds: 0.5,
        list: [],
      },
      objects: {
        secrets: { created: 100, errors: 0 },
        configmaps: { created: 100, errors: 0 },
        perProject: [],
        listed: { secrets: 100, configmaps: 100, projectsChecked: 20 },
      },
      snapshots: {
        baseline: { time: 1, status: 'ok', values: values(0.0033333, 100660224) },
        after_projects: {
          time: 2,
          status: 'missing',
          reason: 'VictoriaMetrics unreachable',
          values: values(null, null),
        },
      },
      checkpoints: [],
    };
    expect(formatMilo({ milo }).split('\n')).toEqual([
      'test 87c3a8b8, organization perf-87c3a8b8',
      "projects: 20/20 Ready; projects_ready_seconds 2.03 s (the runner's figure), 0.50 s from the watch",
      'objects: 100 secrets, 100 configmaps created; listed afterwards: 100 secrets, 100 configmaps in 20 projects',
      'snapshot baseline: apiserver 0.003 cores 100.7 MB, etcd: no series matched',
      'snapshot after_projects: missing (VictoriaMetrics unreachable)',
    ]);
  });
});
