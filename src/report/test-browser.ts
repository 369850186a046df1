/// <reference lib="dom" />
/**
 * Test helper (used by *.test.ts only): opens a report in Chromium with the network off and says
 * which charts it has, how many rendered, its section headings and any console or page errors.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

export async function renderReport(file: string) {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.setOffline(true);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`file://${file}`);
    await page.waitForLoadState('load');
    const charts = await page
      .locator('[data-chart]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-chart')!));
    const rendered = await page.locator('[data-chart][data-rendered="true"]').count();
    const headings = await page.locator('h3').allInnerTexts();
    return { charts, rendered, headings, errors };
  } finally {
    await browser.close();
  }
}
