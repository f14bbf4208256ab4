/**
 * Cookie sessions in a real browser (Debian's Chromium), on http://localhost (where Chromium accepts Secure
 * cookies): a reload keeps the session; neither document.cookie nor any answer JavaScript can read holds the
 * refresh token; a page of another origin of the same site (another port of localhost: SameSite=Strict does
 * not stop it) cannot refresh, change the password or sign out, by form or by fetch; and it cannot read
 * answers. The requests are made by the page's own JavaScript (fetch), as the typed client makes them.
 */
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { REFRESH_COOKIE, open } from '../../lambdas/shared/session';
import { deriveKey } from '../../lambdas/shared/session-key';
import { LOCAL_SESSION_KEY_SECRET_ID } from '../../local/secrets';
import { PASSWORD, type RunningStack, client, removeDir, startStack, uniqueEmail } from '../support/stack';

// The machine is shared and has two cores: starting a stack and walking every route take a while.
jest.setTimeout(180_000);

let stack: RunningStack;
let api: ReturnType<typeof client>;
let browser: Browser;
let app: string;
let attacker: Server;
let evil: string;

/** The attacker's pages: each path is an HTML page, set by the test before it is visited. */
const attackerPages = new Map<string, string>();

beforeAll(async () => {
  stack = await startStack();
  api = client(stack.url);
  const port = new URL(stack.url).port;
  app = `http://localhost:${port}`;
  attacker = createServer((req, res) => {
    const page = attackerPages.get(req.url ?? '/') ?? '<!doctype html><title>attacker</title>';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  evil = `http://localhost:${(attacker.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

async function confirmedUser() {
  const email = uniqueEmail('browser');
  await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD });
  await api.call('POST', '/auth/sign-up/confirm', { username: email, code: await api.latestCode(email) });
  return email;
}

interface Seen {
  readonly status: number;
  readonly text: string;
}

/** A fetch by the page's own script, as the typed client makes it in cookie mode. */
const call = (page: Page, method: string, path: string, body?: unknown, session = true): Promise<Seen> =>
  page.evaluate(
    async ({ method, path, body, session }) => {
      const headers: Record<string, string> = session ? { 'X-BFF-Session': 'cookie' } : {};
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(path, {
        method,
        headers,
        credentials: 'include',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, text: await response.text() };
    },
    { method, path, body, session },
  );

const sessionKey = () => {
  const state = JSON.parse(readFileSync(join(stack.dataDir, 'secrets.json'), 'utf8')) as {
    secrets: Record<string, string>;
  };
  return deriveKey(state.secrets[LOCAL_SESSION_KEY_SECRET_ID] ?? '');
};

/** The refresh token the browser holds, opened with the stack's key (what an attacker must never see). */
async function refreshToken(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies(`${app}/auth/refresh`)).find((c) => c.name === REFRESH_COOKIE);
  const token = open(sessionKey(), REFRESH_COOKIE, cookie?.value)?.t;
  if (typeof token !== 'string') throw new Error('no refresh cookie in the browser');
  return token;
}

async function signedIn() {
  const email = await confirmedUser();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app}/`);
  const signIn = await call(page, 'POST', '/auth/sign-in', { username: email, password: PASSWORD });
  expect(signIn.status).toBe(200);
  return { email, context, page, seen: [signIn] };
}

it('keeps the session across a reload, with no refresh token in document.cookie or any answer', async () => {
  const { email, context, page, seen } = await signedIn();
  try {
    const cookies = await context.cookies(`${app}/auth/refresh`);
    expect(cookies.map((c) => [c.name, c.httpOnly, c.secure, c.sameSite]).sort()).toEqual([
      ['__Host-bff-access', true, true, 'Strict'],
      ['__Secure-bff-refresh', true, true, 'Strict'],
    ]);
    await page.reload();
    // Restore on reload: GET /me with the header.
    const me = await call(page, 'GET', '/me');
    expect(me.status).toBe(200);
    expect(JSON.parse(me.text).attributes.email).toBe(email);
    seen.push(me);
    const refreshed = await call(page, 'POST', '/auth/refresh', {});
    expect(refreshed.status).toBe(200);
    seen.push(refreshed);
    await page.reload();
    expect((await call(page, 'GET', '/me')).status).toBe(200);

    const token = await refreshToken(context);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    for (const answer of seen) {
      expect(answer.text).not.toContain(token);
      expect(answer.text).not.toMatch(/"(refreshToken|accessToken|idToken)"/);
    }
  } finally {
    await context.close();
  }
});

it('lets a page of another origin neither refresh, change the password nor sign out, by form or fetch', async () => {
  const { context, page } = await signedIn();
  try {
    const before = await refreshToken(context);
    const attack = await context.newPage();
    // Forms: the browser sends the cookies (same site), but never the header, and only simple content types.
    const forms: [string, string][] = [
      ['/auth/refresh', '{"x":"'],
      ['/password/change', `{"previousPassword":"${PASSWORD}","proposedPassword":"Another-Passw0rd!","x":"`],
      ['/auth/sign-out', ''],
    ];
    for (const [path, text] of forms) {
      attackerPages.set(
        `/form${path}`,
        `<!doctype html><form method="post" enctype="text/plain" action="${app}${path}">` +
          `<input type="hidden" name='${text}' value='"}'></form><script>document.forms[0].submit()</script>`,
      );
      const landed = attack.waitForURL(`${app}${path}`);
      await attack.goto(`${evil}/form${path}`);
      await landed;
      const status = await attack.evaluate(() => document.body.innerText);
      expect([path, /"status":(401|415)/.test(status)]).toEqual([path, true]);
    }

    // fetch from the other origin: without the header (no preflight) the cookies are not credentials; with it,
    // the preflight fails; and no answer can be read either way.
    await attack.goto(`${evil}/`);
    const results = await attack.evaluate(
      async ({ app, password }) => {
        const attempts: [string, string, RequestInit][] = [
          ['refresh', '/auth/refresh', { method: 'POST', body: '{}' }],
          [
            'change',
            '/password/change',
            {
              method: 'POST',
              body: JSON.stringify({ previousPassword: password, proposedPassword: 'Another-Passw0rd!' }),
            },
          ],
          ['sign-out', '/auth/sign-out', { method: 'POST' }],
          ['me', '/me', { method: 'GET' }],
        ];
        const out: Record<string, string> = {};
        for (const [name, path, init] of attempts) {
          for (const header of [false, true]) {
            const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
            if (header) headers['X-BFF-Session'] = 'cookie';
            try {
              const response = await fetch(app + path, { ...init, headers, credentials: 'include' });
              out[`${name}${header ? '+header' : ''}`] = `read ${response.status}: ${await response.text()}`;
            } catch (error) {
              out[`${name}${header ? '+header' : ''}`] = `blocked ${(error as Error).name}`;
            }
            // And the no-cors form of it: sent, unreadable.
            if (!header)
              await fetch(app + path, { ...init, mode: 'no-cors', credentials: 'include' }).catch(() => undefined);
          }
        }
        return out;
      },
      { app, password: PASSWORD },
    );
    for (const [attempt, result] of Object.entries(results))
      expect([attempt, result]).toEqual([attempt, 'blocked TypeError']);

    // The session is untouched: same refresh token, still signed in, the password unchanged.
    expect(await refreshToken(context)).toBe(before);
    expect((await call(page, 'GET', '/me')).status).toBe(200);
    expect((await call(page, 'POST', '/auth/refresh', {})).status).toBe(200);
  } finally {
    await context.close();
  }
});

it('signs out from its own page: the cookies are gone and a reload is signed out', async () => {
  const { context, page } = await signedIn();
  try {
    expect((await call(page, 'POST', '/auth/sign-out')).status).toBe(204);
    expect(await context.cookies(`${app}/auth/refresh`)).toEqual([]);
    await page.reload();
    expect((await call(page, 'GET', '/me')).status).toBe(401);
    expect((await call(page, 'POST', '/auth/refresh', {})).status).toBe(401);
  } finally {
    await context.close();
  }
});
