/** What /version reports: the Kubernetes API level we emulate, marked as kubeperf's in build metadata. */
export const serverVersion = {
  major: '1',
  minor: '28',
  gitVersion: 'v1.28.7+kubeperf',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-22T00:00:00Z',
  goVersion: 'go1.21.13',
  compiler: 'gc',
  platform: 'linux/amd64',
};
