/**
 * JUnit XML: one testcase per threshold and per SLO check, plus one "run is valid" testcase so an
 * invalid run also fails CI. Readable by GitHub/GitLab/Jenkins test reporters.
 */
import type { Results } from '../results/types.js';
import { escapeXml } from './format.js';

export function renderJunit(results: Results): string {
  const cases: { classname: string; name: string; failure?: string; message: string }[] = [];
  cases.push({
    classname: 'kubeperf.validity',
    name: 'run is valid',
    message: results.verdict === 'invalid' ? results.verdictReasons.join('\n') : 'no invalid-run guard fired',
    ...(results.verdict === 'invalid' ? { failure: 'run is invalid' } : {}),
  });
  for (const t of results.thresholds) {
    cases.push({
      classname: t.source === 'slo' ? 'kubeperf.slo' : 'kubeperf.thresholds',
      name: t.expression,
      message: t.message,
      ...(t.pass ? {} : { failure: t.message }),
    });
  }
  const failures = cases.filter((c) => c.failure).length;
  const time = results.endedAt ? (Date.parse(results.endedAt) - Date.parse(results.startedAt)) / 1000 : 0;
  const body = cases
    .map((c) => {
      const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="0">`;
      const inner = c.failure
        ? `\n      <failure message="${escapeXml(c.failure)}" type="${c.classname === 'kubeperf.validity' ? 'invalid' : 'threshold'}">${escapeXml(c.message)}</failure>\n      <system-out>${escapeXml(c.message)}</system-out>\n    `
        : `\n      <system-out>${escapeXml(c.message)}</system-out>\n    `;
      return `${open}${inner}</testcase>`;
    })
    .join('\n');
  const suite = escapeXml(`kubeperf ${results.name}`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="kubeperf" tests="${cases.length}" failures="${failures}" errors="0" time="${Number.isFinite(time) ? time : 0}">
  <testsuite name="${suite}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" timestamp="${escapeXml(results.startedAt)}" time="${Number.isFinite(time) ? time : 0}">
    <properties>
      <property name="runId" value="${escapeXml(results.runId)}"/>
      <property name="verdict" value="${results.verdict}"/>
      <property name="kubeperfVersion" value="${escapeXml(results.tool.version)}"/>
    </properties>
${body}
  </testsuite>
</testsuites>
`;
}
