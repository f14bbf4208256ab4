/** The typed client, in Node, against the real local stack. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ProblemError, createClient } from '../../client';
import {
  NEW_PASSWORD,
  PASSWORD,
  type RunningStack,
  client,
  removeDir,
  startStack,
  uniqueEmail,
} from '../support/stack';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

it('runs the reset flow with typed answers and typed failures', async () => {
  const outbox = client(stack.url);
  const auth: { token?: string } = {};
  const api = createClient({ baseUrl: `${stack.url}/`, accessToken: () => auth.token });
  const email = uniqueEmail('client');

  const signUp = await api.signUp({ username: email, password: PASSWORD, clientMetadata: { locale: 'es' } });
  expect(signUp.userConfirmed).toBe(false);
  await api.confirmSignUp({ username: email, code: await outbox.latestCode(email) });

  const forgot = await api.forgotPassword({ username: email });
  expect(forgot.codeDelivery.medium).toBe('EMAIL');
  const failure = await api
    .resetPassword({ username: email, code: '12', password: NEW_PASSWORD })
    .catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(ProblemError);
  expect(failure).toMatchObject({
    status: 400,
    code: 'CodeMismatch',
    detail: 'The code is wrong or no longer valid: check it, or request a new code.',
  });
  await api.resetPassword({ username: email, code: await outbox.latestCode(email), password: NEW_PASSWORD });

  const signIn = await api.signIn({ username: email, password: NEW_PASSWORD });
  if ('challenge' in signIn) throw new Error('unexpected challenge');
  auth.token = signIn.accessToken;
  const me = await api.getMe();
  expect(me.attributes.email).toBe(email);

  const invalid = await api
    .changePassword({ previousPassword: '', proposedPassword: NEW_PASSWORD })
    .catch((e: unknown) => e);
  expect(invalid).toMatchObject({
    status: 400,
    code: 'ValidationFailed',
    errors: expect.arrayContaining([expect.objectContaining({ path: 'previousPassword' })]),
  });

  await api.signOut();
  const revoked = await api.getMe().catch((e: unknown) => e);
  expect(revoked).toMatchObject({ status: 401, code: 'NotAuthorized' });
});

it('uses the injected fetch and carries Retry-After', async () => {
  const calls: string[] = [];
  const api = createClient({
    baseUrl: 'https://bff.example',
    fetch: async (input) => {
      calls.push(String(input));
      return new Response(
        JSON.stringify({
          type: 'x',
          title: 'Too Many Requests',
          status: 429,
          detail: 'Slow down.',
          code: 'TooManyRequests',
        }),
        {
          status: 429,
          headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '7' },
        },
      );
    },
  });
  const failure = await api.adminResetPassword('a b@example.com').catch((e: unknown) => e);
  expect(calls).toEqual(['https://bff.example/admin/users/a%20b%40example.com/password-reset']);
  expect(failure).toMatchObject({ status: 429, code: 'TooManyRequests', detail: 'Slow down.', retryAfter: 7 });
});
