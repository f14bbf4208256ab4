/**
 * What every flow test shares: the target (test/support/target.ts), a frontend's HTTP calls to it,
 * and the steps most flows begin with. Each test file gets its own target (Jest isolates modules per file).
 */
import { expect } from '@jest/globals';
import { expectWith } from '../support/expect';
import { PASSWORD } from '../support/stack';
import { type Target, useTarget } from '../support/target';

export { NEW_PASSWORD, PASSWORD, uniqueEmail } from '../support/stack';

let handle: ReturnType<typeof useTarget>;

/** Call once at the top of a flow test file. */
export function useFlow() {
  handle = useTarget();
}

export const target = (): Target => handle.target;

/** A frontend's request to the BFF (JSON body, optional bearer token). */
export const call = (...args: Parameters<ReturnType<typeof useTarget>['api']['call']>) => handle.api.call(...args);

/** The newest message sent to `email`. */
export async function latestMessage(email: string) {
  const last = (await target().messages(email)).at(-1);
  if (!last) throw new Error(`no message for ${email}`);
  return last;
}

/** The code of the newest message sent to `email`. */
export const latestCode = async (email: string) => (await latestMessage(email)).code;

/** A code that is not `code`, of the same shape. */
export const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000');

export async function signUpConfirmed(email: string, password = PASSWORD) {
  const signUp = await call('POST', '/auth/sign-up', { username: email, password, attributes: { name: 'Test User' } });
  expectWith(signUp.status, signUp.text).toBe(201);
  const confirm = await call('POST', '/auth/sign-up/confirm', { username: email, code: await latestCode(email) });
  expectWith(confirm.status, confirm.text).toBe(204);
}

export async function signIn(email: string, password = PASSWORD) {
  const answer = await call('POST', '/auth/sign-in', { username: email, password });
  expectWith(answer.status, answer.text).toBe(200);
  return answer.body as { accessToken: string; idToken: string; refreshToken: string };
}

export async function signInAsAdmin() {
  const { username, password } = await target().adminCredentials();
  return signIn(username, password);
}

/** The documented error shape: problem+json with a stable code. */
export function expectProblem(answer: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.body).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
}
