/**
 * The message gallery of `npm start` (/_local/messages) in Chromium: every message x locale
 * renders, and a PNG of each email goes to test-results/messages/ for a reviewer.
 */
import { mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { type RunningStack, removeDir, startStack } from '../support/stack';
import { catalogs } from '../../lambdas/triggers/custom-message/locales';
import { MESSAGE_KINDS } from '../../lambdas/triggers/custom-message/locales/schema';

let stack: RunningStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

it('shows every message x locale, each email visible, and saves a PNG of each', async () => {
  const page = await browser.newPage({ viewport: { width: 720, height: 900 } });
  await page.goto(`${stack.url}/_local/messages`);
  // bff:locales defaults to every locale file.
  const expected = Object.keys(catalogs).length * MESSAGE_KINDS.length;
  expect(await page.locator('section').count()).toBe(expected);
  mkdirSync('test-results/messages', { recursive: true });
  for (const section of await page.locator('section').all()) {
    const id = await section.getAttribute('id');
    const frame = section.locator('iframe');
    // The email's code box is there, with the sample code in place of Cognito's placeholder.
    expect(await frame.contentFrame().locator('body').innerText()).toContain('482913');
    await frame.screenshot({ path: `test-results/messages/${id}.png` });
  }
  await page.close();
}, 300_000);
