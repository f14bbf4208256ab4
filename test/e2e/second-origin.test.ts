/**
 * A frontend on its own dev server (a second origin, `http://localhost:<port2>`), allowed with
 * `npm start -- --origin http://localhost:<port2>`: its page imports the packed client (dist/client, as `npm pack`
 * ships it), signs in through the BFF in cookie mode and is still signed in after a reload (restore). Without
 * the flag, the same page cannot (CORS refuses the origin).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { PASSWORD, type RunningStack, client, removeDir, startStack, uniqueEmail } from '../support/stack';

jest.setTimeout(240_000);

let browser: Browser;
let server: Server;
let frontend: string;
const stacks: RunningStack[] = [];

/** The dev server's page: the packed client, in cookie mode, against the BFF named in the query. */
const PAGE = `<!doctype html><html lang="en"><title>dev server</title><p id="state">loading</p>
<script type="module">
  import { createSession } from '/client.js';
  const bff = new URLSearchParams(location.search).get('bff');
  const session = createSession({ baseUrl: bff });
  window.signIn = async (username, password) => (await session.signIn({ username, password })).status;
  window.me = async () => (await session.getMe()).attributes.email;
  session.restore().then(
    (state) => (document.querySelector('#state').textContent = state.status),
    (error) => (document.querySelector('#state').textContent = 'failed: ' + error.message),
  );
</script>`;

beforeAll(async () => {
  // What `npm pack` runs (prepack): dist/client/index.js.
  execFileSync(process.execPath, ['client/build.mjs'], { stdio: 'ignore' });
  const built = readFileSync('dist/client/index.js', 'utf8');
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const [type, body] = path === '/client.js' ? ['text/javascript', built] : ['text/html; charset=utf-8', PAGE];
    res.writeHead(200, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  frontend = `http://localhost:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  for (const stack of stacks) {
    await stack.stop();
    removeDir(stack.dataDir);
  }
});

async function stackWith(args: string[]) {
  const stack = await startStack({ args });
  stacks.push(stack);
  const api = client(stack.url);
  const email = uniqueEmail('origin');
  await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD });
  await api.call('POST', '/auth/sign-up/confirm', { username: email, code: await api.latestCode(email) });
  return { bff: `http://localhost:${new URL(stack.url).port}`, email };
}

it('signs in from a second origin allowed with --origin, and stays signed in on reload', async () => {
  const { bff, email } = await stackWith(['--origin', frontend]);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${frontend}/?bff=${encodeURIComponent(bff)}`);
  await page.locator('#state', { hasText: 'signedOut' }).waitFor({ timeout: 60_000 });
  expect(await page.evaluate(([u, p]) => (window as any).signIn(u, p), [email, PASSWORD])).toBe('signedIn');
  expect(await page.evaluate(() => (window as any).me())).toBe(email);

  await page.reload();
  await page.locator('#state', { hasText: /signedIn|signedOut|failed/ }).waitFor({ timeout: 60_000 });
  expect(await page.locator('#state').textContent()).toBe('signedIn');
  expect(await page.evaluate(() => (window as any).me())).toBe(email);
  expect(await page.evaluate(() => document.cookie)).toBe('');
  await context.close();
});

it('cannot sign in from that origin without --origin', async () => {
  const { bff, email } = await stackWith([]);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${frontend}/?bff=${encodeURIComponent(bff)}`);
  await page.locator('#state', { hasText: /signed|failed/ }).waitFor({ timeout: 60_000 });
  const outcome = await page.evaluate(
    ([u, p]) => (window as any).signIn(u, p).catch((error: Error) => `refused: ${error.name}`),
    [email, PASSWORD],
  );
  expect(outcome).toBe('refused: TypeError');
  await context.close();
});
