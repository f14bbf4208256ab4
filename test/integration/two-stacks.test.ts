/** Two local stacks in one process: functions hold no module-level configuration or clients. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { PASSWORD, client, uniqueEmail } from '../support/stack';

const stacks: LocalStack[] = [];

beforeAll(async () => {
  // One after the other: Jest's ESM loader cannot link the same module for two concurrent imports.
  stacks.push(await startLocalStack({ port: 0 }));
  stacks.push(await startLocalStack({ port: 0 }));
});

afterAll(async () => {
  await Promise.all(stacks.map((stack) => stack.stop()));
});

it('runs two stacks side by side, each BFF talking to its own pool', async () => {
  const [a, b] = stacks;
  if (!a || !b) throw new Error('stacks did not start');
  expect(a.userPoolId).not.toBe(b.userPoolId);
  const email = uniqueEmail('two-stacks');
  for (const stack of [a, b]) {
    const api = client(stack.url);
    expect((await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD })).status).toBe(201);
    const code = await api.latestCode(email);
    expect((await api.call('POST', '/auth/sign-up/confirm', { username: email, code })).status).toBe(204);
    const signIn = await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    const me = await api.call('GET', '/me', undefined, { token: signIn.body.accessToken });
    expect(me.body.attributes.email).toBe(email);
  }
  // Each pool holds its own user: the same email signed up once in each.
  expect(a.cognito.outbox.filter((m) => m.to === email)).toHaveLength(1);
  expect(b.cognito.outbox.filter((m) => m.to === email)).toHaveLength(1);
});
