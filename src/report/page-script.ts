/**
 * The script embedded in HTML reports: builds Chart.js charts from the inlined specs with an HTML
 * tooltip (hover shows values, readable in both themes and testable), legend toggling, log axes.
 * Kept as a plain string: it runs in the browser, not in Node.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  var specs = JSON.parse(document.getElementById('kubeperf-charts').textContent);
  var css = getComputedStyle(document.documentElement);
  var fg = css.getPropertyValue('--fg').trim();
  var muted = css.getPropertyValue('--muted').trim();
  var grid = css.getPropertyValue('--grid').trim();
  var palette = ['#4e79a7','#f28e2b','#e15759','#76b7b2','#59a14f','#edc948','#b07aa1','#ff9da7','#9c755f','#bab0ac'];
  Chart.defaults.color = muted;
  Chart.defaults.font.family = css.getPropertyValue('--font').trim();
  function fmt(v) {
    if (v === null || v === undefined || isNaN(v)) return '–';
    var a = Math.abs(v);
    if (a > 0 && a < 1) return String(Number(v.toPrecision(3)));
    return v.toLocaleString('en-US', { maximumFractionDigits: a >= 100 ? 0 : a >= 10 ? 1 : 2 });
  }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function axis(a, pos) {
    var o = {
      type: a.log ? 'logarithmic' : a.type || 'linear',
      title: { display: true, text: a.title, color: fg },
      grid: { color: grid },
      ticks: { color: muted }
    };
    // Chart.js's own log ticks print 1e+3-style labels; linear ticks are better left to it (precision).
    if (a.log) o.ticks.callback = function (v) { return fmt(v); };
    if (pos) { o.position = pos; o.grid = { drawOnChartArea: false }; }
    return o;
  }
  specs.forEach(function (s) {
    var box = document.querySelector('[data-chart="' + s.id + '"]');
    if (!box) return;
    var tip = box.querySelector('.tip');
    var datasets = s.datasets.map(function (d, i) {
      var c = palette[(d.color === undefined ? i : d.color) % palette.length];
      return {
        label: d.label, data: d.data, type: d.type, yAxisID: d.yAxisID || 'y',
        borderColor: c, backgroundColor: d.type === 'line' || (s.kind === 'line' && !d.type) ? c : c + 'cc',
        borderDash: d.dashed ? [6, 4] : undefined, pointRadius: s.kind === 'scatter' || d.type === 'scatter' ? 4 : 1.5,
        borderWidth: 2, showLine: d.type === 'line' || s.kind === 'line', spanGaps: true
      };
    });
    var scales = { x: axis(s.x), y: axis(s.y) };
    if (s.y2) scales.y2 = axis(s.y2, 'right');
    var units = { y: s.y.unit || '', y2: s.y2 ? s.y2.unit || '' : '' };
    new Chart(box.querySelector('canvas'), {
      type: s.kind,
      data: { labels: s.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, normalized: true,
        interaction: { mode: s.kind === 'bar' ? 'nearest' : 'nearest', intersect: s.kind === 'bar' },
        scales: scales,
        plugins: {
          legend: { labels: { color: fg, boxWidth: 12 } },
          tooltip: {
            enabled: false,
            callbacks: {
              title: function (items) {
                if (!items.length) return '';
                var it = items[0];
                return s.x.type === 'category' ? it.label : s.x.title + ' ' + fmt(it.parsed.x) + (s.x.unit ? ' ' + s.x.unit : '');
              },
              label: function (ctx) {
                var u = units[ctx.dataset.yAxisID || 'y'];
                return ctx.dataset.label + ': ' + fmt(ctx.parsed.y) + (u ? ' ' + u : '');
              }
            },
            external: function (context) {
              var t = context.tooltip;
              if (t.opacity === 0) { tip.style.opacity = '0'; return; }
              var lines = [];
              (t.body || []).forEach(function (b) { lines = lines.concat(b.lines); });
              tip.innerHTML = '<b>' + esc((t.title || []).join(' ')) + '</b><br>' + lines.map(esc).join('<br>');
              tip.style.opacity = '1';
              var w = box.clientWidth;
              tip.style.left = Math.min(t.caretX + 12, w - 220) + 'px';
              tip.style.top = Math.max(t.caretY - 10, 0) + 'px';
            }
          }
        }
      }
    });
    box.setAttribute('data-rendered', 'true');
  });
})();
`;
