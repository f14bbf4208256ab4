/**
 * The product page (`/` of `npm start`) in a real browser (Debian's Chromium), on http://localhost, as a person
 * uses it: one state at a time (sign in, create account, confirm, forgot, reset, the new-password challenge,
 * signed in, the admin panel), in cookie mode (a reload keeps the session), emailed links landing on their
 * form, plain-word messages one at a time. In every state: axe-core finds no serious or critical violation, the
 * page fits 390 px without horizontal scrolling, and a screenshot goes to test-results/page/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, jest } from '@jest/globals';
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

// A stack, a browser and many sign-ins on a shared two-core machine.
jest.setTimeout(240_000);

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WAIT = { timeout: 60_000 };
const SHOTS = 'test-results/page';

let stack: RunningStack;
let app: string;
let api: ReturnType<typeof client>;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  app = `http://localhost:${new URL(stack.url).port}`;
  api = client(stack.url);
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

beforeEach(async () => {
  // A phone's width: every state must fit it.
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${app}/`);
  await state('sign-in');
});

afterEach(async () => {
  const test = currentTest();
  if (test.failed) {
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: `test-results/${test.name.replace(/\W+/g, '-')}.png`, fullPage: true });
  }
  await page.context().close();
});

async function confirmedUser(password = PASSWORD) {
  const email = uniqueEmail('page');
  await api.call('POST', '/auth/sign-up', { username: email, password });
  await api.call('POST', '/auth/sign-up/confirm', { username: email, code: await api.latestCode(email) });
  return email;
}

/** Waits until the page shows `view` (and only it). */
async function state(view: string, on = page) {
  await on.locator(`body[data-state="${view}"]`).waitFor(WAIT);
  const visible = await on.locator('[data-view]:visible').evaluateAll((all) => all.map((s) => s.id));
  expect(visible).toEqual([`view-${view}`]);
}

/** The one message the page shows, once it reads `text`. */
async function message(text: string | RegExp) {
  await page.locator('#message', { hasText: text }).waitFor(WAIT);
  return page.locator('#message').textContent();
}

/** axe-core in the page: no serious or critical violation; fits 390 px; a screenshot of the state. */
async function check(name: string) {
  // Evaluated through DevTools, as the page's CSP (script-src 'self') refuses an inline script tag.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document) => Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n: { target: string[] }) => n.target.join(' ')).join(', ')}`);
  });
  expect([name, violations]).toEqual([name, []]);
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect([name, 'fits 390 px', fits]).toEqual([name, 'fits 390 px', true]);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const link = (body: string) => /href="([^"]+)"/.exec(body)?.[1]?.replaceAll('&amp;', '&') ?? '';

it('creates an account, confirms it by the emailed link, signs in, keeps the session on reload, signs out', async () => {
  await check('sign-in');
  await page.getByRole('button', { name: 'Create an account' }).click();
  await state('sign-up');
  // The rules come from the deployed policy before anything is typed.
  const policy = (await api.call('GET', '/auth/password-policy')).body;
  const rules = page.locator('#sign-up-rules li');
  await expect(rules.first().textContent()).resolves.toBe(`At least ${policy.minLength} characters`);
  await check('sign-up');

  const email = uniqueEmail('page-new');
  await page.locator('#sign-up-email').fill(email);
  await page.locator('#sign-up-password').fill('short');
  expect(await page.locator('#sign-up-rules li.met').count()).toBeLessThan(await rules.count());
  await page.locator('#sign-up-password').fill(PASSWORD);
  expect(await page.locator('#sign-up-rules li.met').count()).toBe(await rules.count());
  await page.getByRole('button', { name: 'Create account' }).click();
  await state('confirm');
  expect(await message('Account created')).toContain('We sent a code');
  await check('confirm');

  // The emailed link opens the confirm form (never the reset form) with the code in it.
  const mail = (await api.outbox(email)).at(-1);
  expect(link(mail.body)).toContain(`${app}/#flow=confirm&code=`);
  await page.goto(link(mail.body));
  await state('confirm');
  expect(await page.locator('#confirm-code').inputValue()).toBe(mail.code);
  expect(await page.locator('#reset-code').inputValue()).toBe('');
  expect(page.url()).not.toContain('#');
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await state('sign-in');
  await message('Your account is confirmed');
  expect(await page.locator('#confirm-code').inputValue()).toBe('');

  // A wrong password: plain words, one message (no pile-up).
  await page.locator('#sign-in-password').fill('Wrong-Passw0rd!');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  expect(await message('wrong')).toBe(
    'The email or password is wrong, or the account is locked for a few minutes after several failed attempts.',
  );
  await check('sign-in-error');
  await page.locator('#sign-in-password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await state('account');
  expect(await message('signed in')).toBe('You are signed in.');
  expect(await page.locator('#profile').textContent()).toContain(email);
  expect(await page.locator('#sign-in-password').inputValue()).toBe('');
  expect(await page.locator('#admin-panel').isVisible()).toBe(false);
  // Cookie mode: no token in script's reach.
  expect(await page.evaluate(() => document.cookie + JSON.stringify(localStorage))).toBe('{}');
  await check('account');

  await page.reload();
  await state('account');
  expect(await page.locator('#profile').textContent()).toContain(email);

  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await state('sign-in');
  await message('signed out');
  await page.reload();
  await state('sign-in');
});

it('resets a forgotten password: a wrong code in plain words, then the emailed link lands on the reset form', async () => {
  const email = await confirmedUser();
  await page.getByRole('button', { name: 'Forgot your password?' }).click();
  await state('forgot');
  await check('forgot');
  await page.locator('#forgot-email').fill(email);
  await page.getByRole('button', { name: 'Send a reset code' }).click();
  await state('reset');
  await message('we sent a code');
  expect(await page.locator('#reset-email').inputValue()).toBe(email);
  const code = await api.latestCode(email);
  await page.locator('#reset-code').fill(code === '000000' ? '111111' : '000000');
  await page.locator('#reset-password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set new password' }).click();
  expect(await message('code')).toBe('The code is wrong or no longer valid: check it, or request a new code.');
  await check('reset');

  const mail = (await api.outbox(email)).at(-1);
  expect(link(mail.body)).toContain('#flow=reset&code=');
  await page.goto(link(mail.body));
  await state('reset');
  expect(await page.locator('#reset-code').inputValue()).toBe(mail.code);
  expect(await page.locator('#reset-email').inputValue()).toBe(email);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('reset-password');
  // One message at a time: the earlier error is gone.
  expect(await page.locator('#message').textContent()).toBe('Choose a new password.');
  await page.locator('#reset-password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await state('sign-in');
  await message('Your password is changed');
  expect(await page.locator('#sign-in-email').inputValue()).toBe(email);
  await page.locator('#sign-in-password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await state('account');
});

it('asks an invited user for a new password (the challenge), then signs in', async () => {
  const email = uniqueEmail('page-invited');
  const { CognitoIdentityProviderClient, AdminCreateUserCommand } =
    await import('@aws-sdk/client-cognito-identity-provider');
  const config = (await api.call('GET', '/_local/config')).body;
  const cognito = new CognitoIdentityProviderClient({
    endpoint: config.cognitoEndpoint,
    region: config.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: config.userPoolId,
      Username: email,
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  cognito.destroy();
  await page.locator('#sign-in-email').fill(email);
  await page.locator('#sign-in-password').fill(await api.latestCode(email));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await state('challenge');
  // The history rule is shown only where it applies (the policy's passwordHistorySize).
  const policy = (await api.call('GET', '/auth/password-policy')).body;
  const texts = await page.locator('#challenge-rules li').allTextContents();
  expect(texts.some((t) => /last \d+ passwords|current password/.test(t))).toBe(policy.passwordHistorySize > 0);
  await check('challenge');
  await page.locator('#challenge-password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await state('account');
  await message('Your password is set');
});

it('shows the password-history rule where a password is set again, never on sign-up, when the pool keeps one', async () => {
  // The stack runs with cdk.json's policy (no history): the page is given the same policy with a history of 5.
  const shown = await browser.newPage({ viewport: { width: 390, height: 844 } });
  try {
    const policy = (await api.call('GET', '/auth/password-policy')).body as Record<string, unknown>;
    await shown.route('**/auth/password-policy', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', json: { ...policy, passwordHistorySize: 5 } }),
    );
    await shown.goto(`${app}/`);
    await state('sign-in', shown);
    const rule = 'Not one of your last 5 passwords';
    for (const list of ['reset-rules', 'challenge-rules', 'change-rules']) {
      await shown.locator(`#${list} li`, { hasText: rule }).waitFor({ ...WAIT, state: 'attached' });
    }
    const signUp = await shown.locator('#sign-up-rules li').allTextContents();
    expect(signUp.length).toBeGreaterThan(0);
    expect(signUp.filter((text) => text.includes('passwords'))).toEqual([]);
  } finally {
    await shown.context().close();
  }
});

it('changes the name, the email (with the current password and a code), the password, then deletes the account', async () => {
  const email = await confirmedUser();
  await page.locator('#sign-in-email').fill(email);
  await page.locator('#sign-in-password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await state('account');

  await page.locator('#attributes-name').fill('Jane Page');
  await page.getByRole('button', { name: 'Save name' }).click();
  await message('Your name is saved');
  expect(await page.locator('#profile').textContent()).toContain('Jane Page');
  expect(await page.locator('#attributes-name').inputValue()).toBe('');

  const next = uniqueEmail('page-moved');
  await page.locator('#email-new').fill(next);
  await page.locator('#email-password').fill('Wrong-Passw0rd!');
  await page.getByRole('button', { name: 'Change email' }).click();
  // 403 IncorrectPassword: the session is fine, so the client did not refresh and send the wrong password again.
  expect(await message('password')).toBe('Your current password is wrong. Check it and try again.');
  await state('account');
  await page.locator('#email-password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change email' }).click();
  await message('We sent a code');
  expect(await page.locator('#email-new').inputValue()).toBe('');
  await page.locator('#verify-code').fill(await api.latestCode(next));
  await page.getByRole('button', { name: 'Verify email' }).click();
  await message('Your new email is verified');
  expect(await page.locator('#profile').textContent()).toContain(next);

  // Reusing the current password breaks the history rule (when the policy has one) or is accepted.
  await page.locator('#change-current').fill(PASSWORD);
  await page.locator('#change-new').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await message('Your password is changed');
  await check('account-changed');
  expect((await api.call('POST', '/auth/sign-in', { username: next, password: NEW_PASSWORD })).status).toBe(200);

  await page.locator('#delete-confirm').fill('DELETE');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await state('sign-in');
  await message('Your account is deleted');
  expect((await api.call('POST', '/auth/sign-in', { username: next, password: NEW_PASSWORD })).status).toBe(401);
});

it('shows the admin panel only to an admin, whose reset sends the user to the reset form', async () => {
  const target = await confirmedUser();
  await page.locator('#sign-in-email').fill('admin@example.com');
  await page.locator('#sign-in-password').fill(process.env.LOCAL_ADMIN_PASSWORD ?? 'Local-Admin-Passw0rd!');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await state('account');
  await page.locator('#admin-panel').waitFor({ state: 'visible', ...WAIT });
  await check('account-admin');
  await page.locator('#admin-username').fill(target);
  await page.getByRole('button', { name: 'Require a password reset' }).click();
  await message('must now reset');
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await state('sign-in');

  await page.locator('#sign-in-email').fill(target);
  await page.locator('#sign-in-password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await state('reset');
  expect(await message('must be reset')).toBe(
    'Your password must be reset. Enter the code we emailed you and choose a new password.',
  );
  expect(await page.locator('#reset-email').inputValue()).toBe(target);
});

it('opens the page from a link in the outbox panel, in the top window', async () => {
  const email = uniqueEmail('page-outbox');
  await api.call('POST', '/auth/sign-up', {
    username: email,
    password: PASSWORD,
    clientMetadata: { redirectUri: `${app}/` },
  });
  const code = await api.latestCode(email);
  await page.goto(`${app}/_local/outbox.html`);
  const item = page.locator(`article[data-to="${email}"]`);
  await item.waitFor(WAIT);
  await item.frameLocator('iframe').locator('a[href*="#flow=confirm"]').first().click();
  await page.waitForURL(`${app}/`, WAIT);
  await state('confirm');
  expect(await page.locator('#confirm-code').inputValue()).toBe(code);
});
