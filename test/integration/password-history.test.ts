/**
 * Password history end to end (bff:passwordPolicy.passwordHistorySize): the local Cognito refuses a recent
 * password with PasswordHistoryPolicyViolationException (ChangePassword, ConfirmForgotPassword:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ChangePassword.html,
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmForgotPassword.html), and
 * the BFF answers 400 `PasswordReused` in words a person understands, never echoing the password. A second start
 * on the same state keeps working: the seeded admin's password is set only when it differs (ROUND2).
 */
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

const HISTORY = ['-c', 'bff:passwordPolicy={"passwordHistorySize": 3}'];
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ args: HISTORY });
});

afterAll(async () => {
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

function expectReused(answer: { status: number; body: any; text: string }, password: string) {
  expect(answer.status).toBe(400);
  expect(answer.body).toMatchObject({
    code: 'PasswordReused',
    detail: 'You used this password recently on this account. Choose a password you have not used before.',
  });
  expect(answer.text).not.toContain(password);
}

async function signedIn(api: ReturnType<typeof client>) {
  const email = uniqueEmail('history');
  expect((await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD })).status).toBe(201);
  const code = await api.latestCode(email);
  expect((await api.call('POST', '/auth/sign-up/confirm', { username: email, code })).status).toBe(204);
  const tokens = (await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD })).body;
  return { email, token: tokens.accessToken as string };
}

describe('password history through the BFF', () => {
  it('POST /password/change refuses the current and a recent password with 400 PasswordReused', async () => {
    const api = client(stack.url);
    const { token } = await signedIn(api);
    const same = { previousPassword: PASSWORD, proposedPassword: PASSWORD };
    expectReused(await api.call('POST', '/password/change', same, { token }), PASSWORD);
    const changed = await api.call(
      'POST',
      '/password/change',
      { previousPassword: PASSWORD, proposedPassword: NEW_PASSWORD },
      { token },
    );
    expect(changed.status).toBe(200);
    const back = { previousPassword: NEW_PASSWORD, proposedPassword: PASSWORD };
    expectReused(await api.call('POST', '/password/change', back, { token: changed.body.accessToken }), PASSWORD);
  });

  it('POST /password/reset refuses a recent password with 400 PasswordReused, and the code still works', async () => {
    const api = client(stack.url);
    const { email } = await signedIn(api);
    expect((await api.call('POST', '/password/forgot', { username: email })).status).toBe(202);
    const code = await api.latestCode(email);
    const reused = await api.call('POST', '/password/reset', { username: email, code, password: PASSWORD });
    expectReused(reused, PASSWORD);
    const reset = await api.call('POST', '/password/reset', { username: email, code, password: NEW_PASSWORD });
    expect(reset.status).toBe(204);
  });

  it('is documented in /openapi.json on the routes that set a password', async () => {
    const doc = (await client(stack.url).call('GET', '/openapi.json')).body;
    for (const path of ['/password/change', '/password/reset', '/auth/new-password']) {
      expect([path, doc.paths[path].post.responses['400'].description]).toEqual([
        path,
        expect.stringContaining('PasswordReused'),
      ]);
    }
  });

  it('starts again on the same state: the seeded admin keeps its password and signs in', async () => {
    const api = client(stack.url);
    const config = (await api.call('GET', '/_local/config')).body;
    expect(config.userPoolId).toBeTruthy();
    await stack.stop();
    stack = await startStack({ dataDir: stack.dataDir, args: HISTORY });
    const again = client(stack.url);
    const signIn = await again.call('POST', '/auth/sign-in', {
      username: 'admin@example.com',
      password: 'Local-Admin-Passw0rd!',
    });
    expect(signIn.status).toBe(200);
    // Its password was the current one, so it was not set again (which history would have refused).
    expect(stack.output()).not.toMatch(/used before/);
  });
});
