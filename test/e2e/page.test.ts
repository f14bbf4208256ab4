/** Every flow of the local page in a real browser, as a person would do them. */
import { mkdirSync } from 'node:fs';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import {
  NEW_PASSWORD,
  PASSWORD,
  type RunningStack,
  client,
  removeDir,
  startStack,
  uniqueEmail,
} from '../support/stack';
import { currentTest } from '../support/current-test';
import { eventually } from '../support/expect';

let stack: RunningStack;
let api: ReturnType<typeof client>;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  api = client(stack.url);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

beforeEach(async () => {
  page = await browser.newPage();
  await page.goto(stack.url);
});

afterEach(async () => {
  const test = currentTest();
  if (test.failed) {
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: `test-results/${test.name.replace(/\W+/g, '-')}.png`, fullPage: true });
  }
  await page.close();
});

async function confirmedUser(password = PASSWORD) {
  const email = uniqueEmail('e2e');
  await api.call('POST', '/auth/sign-up', { username: email, password });
  await api.call('POST', '/auth/sign-up/confirm', { username: email, code: await api.latestCode(email) });
  return email;
}

async function signIn(email: string, password: string) {
  await page.getByLabel('Email', { exact: true }).nth(2).fill(email);
  await page.locator('#sign-in-password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

it('resets a forgotten password through the emailed link, then signs in', async () => {
  const email = await confirmedUser();
  await page.locator('#forgot-email').fill(email);
  await page.getByRole('button', { name: 'Send a reset code' }).click();
  await eventually(
    () => page.locator('#forgot-form .status').textContent(),
    (value) => expect(value).toContain('a code was sent'),
  );

  const message = (await api.outbox(email)).at(-1);
  const link = /href="([^"]+)"/.exec(message.body)?.[1]?.replaceAll('&amp;', '&') ?? '';
  expect(link).toContain('#flow=reset&code=');
  await page.goto(link);
  await eventually(
    () => page.locator('#reset-code').inputValue(),
    (value) => expect(value).toBe(message.code),
  );
  expect(await page.locator('#reset-email').inputValue()).toBe(email);
  expect(page.url()).not.toContain('#');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('reset-password');

  await page.locator('#reset-password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await eventually(
    () => page.locator('#reset-form .status').textContent(),
    (value) => expect(value).toContain('Password changed'),
  );

  await signIn(email, NEW_PASSWORD);
  await eventually(
    () => page.locator('#session-state').textContent(),
    (value) => expect(value).toBe(`Signed in as ${email}`),
  );
});

it('opens the confirm form, never the reset form, from a sign-up link', async () => {
  const email = uniqueEmail('e2e-link');
  await api.call('POST', '/auth/sign-up', {
    username: email,
    password: PASSWORD,
    clientMetadata: { redirectUri: `${stack.url}/` },
  });
  const message = (await api.outbox(email)).at(-1);
  const link = /href="([^"]+)"/.exec(message.body)?.[1]?.replaceAll('&amp;', '&') ?? '';
  expect(link).toContain('#flow=confirm&code=');
  await page.goto(link);
  await eventually(
    () => page.locator('#confirm-code').inputValue(),
    (value) => expect(value).toBe(message.code),
    { timeout: 15_000 },
  );
  expect(await page.locator('#confirm-email').inputValue()).toBe(email);
  expect(await page.locator('#reset-code').inputValue()).toBe('');
  expect(page.url()).not.toContain('#');

  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await eventually(
    () => page.locator('#confirm-form .status').textContent(),
    (value) => expect(value).toContain('Account confirmed'),
    { timeout: 15_000 },
  );
});

it('shows the problem next to the form when the code is wrong', async () => {
  const email = await confirmedUser();
  await api.call('POST', '/password/forgot', { username: email });
  const wrong = (await api.latestCode(email)) === '000000' ? '111111' : '000000';
  await page.locator('#reset-email').fill(email);
  await page.locator('#reset-code').fill(wrong);
  await page.locator('#reset-password').fill(NEW_PASSWORD);
  const button = page.getByRole('button', { name: 'Set new password' });
  await button.click();
  await eventually(
    () => page.locator('#reset-form .error').textContent(),
    (value) => expect(value).toBe('The code is wrong or no longer valid: check it, or request a new code.'),
  );
  expect(await button.isEnabled()).toBe(true);
});

it('changes the password of the signed-in person', async () => {
  const email = await confirmedUser();
  await signIn(email, PASSWORD);
  await eventually(
    () => page.locator('#session-state').textContent(),
    (value) => expect(value).toBe(`Signed in as ${email}`),
  );
  await page.locator('#change-current').fill(PASSWORD);
  await page.locator('#change-new').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await eventually(
    () => page.locator('#change-form .status').textContent(),
    (value) => expect(value).toBe('Password changed.'),
  );
  expect((await api.call('POST', '/auth/sign-in', { username: email, password: NEW_PASSWORD })).status).toBe(200);
});

it('lets an admin reset another user, who is then sent to the reset form', async () => {
  const target = await confirmedUser();
  await signIn('admin@example.com', 'Local-Admin-Passw0rd!');
  await eventually(
    () => page.locator('#session-state').textContent(),
    (value) => expect(value).toBe('Signed in as admin@example.com'),
  );
  await page.locator('#admin-username').fill(target);
  await page.getByRole('button', { name: 'Require a password reset' }).click();
  await eventually(
    () => page.locator('#admin-form .status').textContent(),
    (value) => expect(value).toContain('must reset'),
  );

  await page.reload();
  await signIn(target, PASSWORD);
  await eventually(
    () => page.locator('#sign-in-form .error').textContent(),
    (value) => expect(value).toContain('must be reset'),
  );
  expect(await page.locator('#reset-email').inputValue()).toBe(target);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('reset-code');
  const code = await api.latestCode(target);
  await page.locator('#reset-code').fill(code);
  await page.locator('#reset-password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await eventually(
    () => page.locator('#reset-form .status').textContent(),
    (value) => expect(value).toContain('Password changed'),
  );
});

it('lists the outbox newest first', async () => {
  const email = await confirmedUser();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await eventually(
    () => page.locator('#outbox article').first().getAttribute('data-to'),
    (value) => expect(value).toBe(email),
  );
});
