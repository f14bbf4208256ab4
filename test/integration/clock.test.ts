/** The local stack's clock seam: tests move time forward over HTTP instead of sleeping. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  NEW_PASSWORD,
  PASSWORD,
  type RunningStack,
  client,
  removeDir,
  startStack,
  uniqueEmail,
} from '../support/stack';

const MINUTE = 60_000;
let manual: RunningStack;
let system: RunningStack;

beforeAll(async () => {
  [manual, system] = await Promise.all([startStack({ args: ['--manual-clock'] }), startStack()]);
});

afterAll(async () => {
  for (const stack of [manual, system]) {
    await stack?.stop();
    if (stack) removeDir(stack.dataDir);
  }
});

async function confirmedUser(api: ReturnType<typeof client>) {
  const email = uniqueEmail('clock');
  expect((await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD })).status).toBe(201);
  const code = await api.latestCode(email);
  expect((await api.call('POST', '/auth/sign-up/confirm', { username: email, code })).status).toBe(204);
  return email;
}

const advance = (api: ReturnType<typeof client>, ms: number) => api.call('POST', '/_local/clock', { advanceMs: ms });

describe('manual clock', () => {
  it('expires a reset code after its hour (ForgotPassword codes live one hour)', async () => {
    const api = client(manual.url);
    const email = await confirmedUser(api);
    expect((await api.call('POST', '/password/forgot', { username: email })).status).toBe(202);
    const code = await api.latestCode(email);
    const moved = await advance(api, 61 * MINUTE);
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.now) - Date.now()).toBeGreaterThan(60 * MINUTE);
    const reset = await api.call('POST', '/password/reset', { username: email, code, password: NEW_PASSWORD });
    // The right code, refused once its hour is over; the BFF answers an expired code like a wrong one (#17).
    expect(reset.status).toBe(400);
    expect(reset.body.code).toBe('CodeMismatch');
  });

  it('refuses an access token once the clock passes its expiry', async () => {
    const api = client(manual.url);
    const email = await confirmedUser(api);
    const signIn = await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD });
    const token = signIn.body.accessToken as string;
    expect((await api.call('GET', '/me', undefined, { token })).status).toBe(200);
    await advance(api, 61 * MINUTE);
    const me = await api.call('GET', '/me', undefined, { token });
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('NotAuthorized');
  });

  it('keeps a rotated refresh token for the grace period (10 s by default), then refuses it', async () => {
    // API_RefreshTokenRotationType: the original token "can remain valid for a period of time of up to 60 seconds".
    const api = client(manual.url);
    const email = await confirmedUser(api);
    const first = (await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD })).body;
    const second = await api.call('POST', '/auth/refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    await advance(api, 9_000);
    // A retry within the grace period still answers.
    expect((await api.call('POST', '/auth/refresh', { refreshToken: first.refreshToken })).status).toBe(200);
    await advance(api, 2_000);
    const late = await api.call('POST', '/auth/refresh', { refreshToken: first.refreshToken });
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('NotAuthorized');
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
  });

  it('refuses a negative or malformed move with a 400 problem', async () => {
    const api = client(manual.url);
    for (const body of [{ advanceMs: -1 }, { advanceMs: 'soon' }, {}]) {
      const answer = await api.call('POST', '/_local/clock', body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('ValidationFailed');
    }
  });
});

describe('system clock (npm start)', () => {
  it('has no way to move time', async () => {
    const answer = await advance(client(system.url), MINUTE);
    expect(answer.status).toBe(404);
  });
});
