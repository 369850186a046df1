/**
 * The self-contained HTML page: styles (light/dark via prefers-color-scheme, print), the Chart.js UMD
 * build and the chart data inlined, so the file opens offline from disk or a CI artifact.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ChartSpec } from './chart-spec.js';
import { escapeHtml } from './format.js';
import { PAGE_SCRIPT } from './page-script.js';

let chartJs: string | undefined;

function chartLibrary(): string {
  if (!chartJs) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    chartJs = readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
  }
  return chartJs;
}

/** JSON safe inside <script>: no "</script>" or HTML comment openers can end the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function chartBox(spec: ChartSpec, wide = false): string {
  return `<figure class="chart${wide ? ' wide' : ''}"><figcaption>${escapeHtml(spec.title)}</figcaption><div class="plot" data-chart="${escapeHtml(spec.id)}"><canvas role="img" aria-label="${escapeHtml(spec.title)}"></canvas><div class="tip" role="tooltip"></div></div></figure>`;
}

const CSS = `
:root{--bg:#ffffff;--fg:#1d2330;--muted:#5b6475;--card:#f5f7fa;--border:#dde2ea;--grid:rgba(0,0,0,.08);--pass:#1a7f37;--fail:#cf222e;--invalid:#9a6700;--accent:#4e79a7;--font:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0f1419;--fg:#e6e9ef;--muted:#9aa4b2;--card:#171d24;--border:#2b333d;--grid:rgba(255,255,255,.09);--pass:#3fb950;--fail:#f85149;--invalid:#d29922;--accent:#79a6d8}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 var(--font)}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid var(--border);padding-bottom:4px}h3{font-size:16px;margin:20px 0 8px}
.muted{color:var(--muted)}code{font-family:ui-monospace,monospace;font-size:12.5px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:700;color:#fff;letter-spacing:.04em}
.badge.pass,.badge.improved,.badge.unchanged{background:var(--pass)}.badge.fail,.badge.regressed{background:var(--fail)}.badge.invalid{background:var(--invalid)}
.ok{color:var(--pass);font-weight:600}.bad{color:var(--fail);font-weight:600}.warn{color:var(--invalid);font-weight:600}
header.top{display:flex;flex-wrap:wrap;gap:16px;align-items:baseline;justify-content:space-between}
.env{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:6px 16px;background:var(--card);border:1px solid var(--border);border-radius:8px;padding:12px 16px;margin:12px 0}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;margin:12px 0}
.kpis div{border:1px solid var(--border);border-left:4px solid var(--accent);border-radius:8px;padding:8px 12px}
.kpis span{display:block;color:var(--muted);font-size:12px}.kpis b{display:block;font-size:20px;font-variant-numeric:tabular-nums}.kpis small{color:var(--muted)}
.env div span{display:block;color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid var(--border);text-align:left;vertical-align:top}
th{background:var(--card);font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
ul.recs li{margin:4px 0}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:16px}
figure.chart{margin:0;background:var(--card);border:1px solid var(--border);border-radius:8px;padding:10px 12px}
figure.chart.wide{grid-column:1/-1}
figcaption{font-weight:600;margin-bottom:6px}
.plot{position:relative;height:280px}
.tip{position:absolute;pointer-events:none;opacity:0;background:var(--bg);color:var(--fg);border:1px solid var(--border);border-radius:6px;padding:6px 8px;font-size:12px;box-shadow:0 2px 8px rgba(0,0,0,.2);white-space:nowrap;z-index:2;transition:opacity .1s}
@media print{body{background:#fff;color:#000}main{max-width:none;padding:0}.charts{display:block}figure.chart{break-inside:avoid;margin-bottom:12px}.tip{display:none}h2{break-after:avoid}}
`;

export function renderPage(title: string, body: string, charts: ChartSpec[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kubeperf">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
<script id="kubeperf-charts" type="application/json">${scriptJson(charts)}</script>
<script>${chartLibrary()}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
