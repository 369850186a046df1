/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Opens the generated HTML report in a real Chromium with the network disabled: no console errors,
 * every chart rendered, hover shows a value, legend toggles; screenshots (light and dark) are kept in
 * test-artifacts/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeResults } from '../analysis/analyze.js';
import { compareRuns } from '../analysis/compare.js';
import { trend } from '../analysis/trend.js';
import { celPhase, crudPhase, fullResults, makeResults } from '../analysis/test-fixtures.js';
import { renderCompareHtml } from './compare-html.js';
import { writeReports } from './write.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');

let browser: Browser;
let dir: string;
let file: string;
let compareFile: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: run .ci/run, or apt-get install -y chromium, to run the browser test`,
    );
  dir = await mkdtemp(join(tmpdir(), 'kubeperf-report-'));
  file = join(dir, 'report.html');
  const results = analyzeResults(fullResults(), {
    thresholds: ['create.p99 < 500ms', 'errors.rate < 1%', 'cel.very-complex.evalNs < 5us'],
    slo: true,
    guard: { maxErrorRate: 0.05 },
  });
  await writeReports(results, { html: file });
  const run = (seed: number, scale: number, hour: number) => ({
    label: `run-${seed}`,
    results: makeResults(
      [crudPhase({ seed, scale, ops: ['create', 'get'], seconds: 6, rate: 50 }), celPhase(scale)],
      {
        startedAt: `2026-11-22T${hour}:00:00.000Z`,
      },
    ),
  });
  const runs = [run(1, 1, 10), run(2, 1.05, 11), run(3, 1.3, 12)];
  const comparison = compareRuns(runs[0], runs[2]);
  comparison.trend = trend(runs);
  compareFile = join(dir, 'compare.html');
  await writeFile(compareFile, renderCompareHtml(comparison, runs[0].results, runs[2].results));
  await mkdir(ARTIFACTS, { recursive: true });
  // launch() always starts from a fresh temporary profile (playwright refuses --user-data-dir here).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('HTML report in Chromium', () => {
  it('is self-contained and small', async () => {
    expect((await stat(file)).size).toBeLessThan(2 * 1024 * 1024);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`renders every chart offline with no console errors (${scheme})`, async () => {
      const context = await browser.newContext({
        colorScheme: scheme,
        viewport: { width: 1280, height: 900 },
      });
      await context.setOffline(true);
      const external: string[] = [];
      await context.route(/^(?!file:)/, (route) => {
        external.push(route.request().url());
        return route.abort();
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(`file://${file}`);
      await page.waitForLoadState('load');

      const boxes = page.locator('[data-chart]');
      const count = await boxes.count();
      expect(count).toBeGreaterThanOrEqual(10);
      expect(await page.locator('[data-chart][data-rendered="true"]').count()).toBe(count);
      // Every canvas has non-background pixels: something was drawn.
      const blank = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLCanvasElement>('[data-chart] canvas')]
          .filter((c) => {
            const ctx = c.getContext('2d');
            if (!ctx || c.width === 0 || c.height === 0) return true;
            const data = ctx.getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return false;
            return true;
          })
          .map((c) => c.closest('[data-chart]')!.getAttribute('data-chart')),
      );
      expect(blank).toEqual([]);

      // Hover the first bar of the latency-percentile chart: the tooltip shows a number with a unit.
      const box = page.locator('[data-chart="lat-0"]');
      await box.scrollIntoViewIfNeeded();
      const bar = await page.evaluate(() => {
        const w = window as unknown as { Chart: { getChart(c: Element): any } };
        const chart = w.Chart.getChart(document.querySelector('[data-chart="lat-0"] canvas')!);
        const el = chart.getDatasetMeta(0).data[0];
        const r = chart.canvas.getBoundingClientRect();
        return { x: r.left + el.x, y: r.top + (el.y + el.base) / 2 };
      });
      await page.mouse.move(bar.x, bar.y);
      const tip = box.locator('.tip');
      await expect.poll(async () => tip.evaluate((t) => getComputedStyle(t).opacity)).toBe('1');
      expect(await tip.innerText()).toMatch(/p50: [\d,.]+ ms/);

      // Clicking a legend entry hides that series.
      const hidden = await page.evaluate(() => {
        const w = window as unknown as { Chart: { getChart(c: Element): any } };
        const chart = w.Chart.getChart(document.querySelector('[data-chart="lat-0"] canvas')!);
        const item = chart.legend.legendItems[1];
        const hit = chart.legend.legendHitBoxes[1];
        const r = chart.canvas.getBoundingClientRect();
        return { text: item.text, x: r.left + hit.left + hit.width / 2, y: r.top + hit.top + hit.height / 2 };
      });
      await page.mouse.click(hidden.x, hidden.y);
      // Chart.js handles events on the next animation frame, hence the poll.
      await expect
        .poll(() =>
          page.evaluate(() => {
            const w = window as unknown as { Chart: { getChart(c: Element): any } };
            return w.Chart.getChart(document.querySelector('[data-chart="lat-0"] canvas')!).isDatasetVisible(
              1,
            );
          }),
        )
        .toBe(false);
      // Show it again for the screenshot.
      await page.mouse.click(hidden.x, hidden.y);

      await page.mouse.move(bar.x, bar.y);
      await page.screenshot({ path: join(ARTIFACTS, `report-${scheme}.png`), fullPage: true });
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
      await context.close();
    }, 60_000);
  }

  it('renders the comparison page with side-by-side and trend charts offline', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.setOffline(true);
    await context.route(/^(?!file:)/, (route) => route.abort());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`file://${compareFile}`);
    const count = await page.locator('[data-chart]').count();
    expect(count).toBeGreaterThanOrEqual(4);
    expect(await page.locator('[data-chart][data-rendered="true"]').count()).toBe(count);
    expect(await page.locator('#verdict').innerText()).toBe('REGRESSED');
    expect(await page.locator('[data-chart="cmp-cel"][data-rendered="true"]').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'compare.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
