/**
 * Nothing tells whether an account exists: the routes that name a user without credentials (sign-in, forgot,
 * reset, sign-up confirm and resend) answer alike for real, unknown, unconfirmed and invited users, and at
 * every per-user limit (#17 "Enumeration", #25.2, #25.3, #25.5; ROUND2 "Enumeration wins over convenience").
 * Part of the flow suite: written once against a target (test/support/target.ts).
 */
import { describe, expect, it } from '@jest/globals';
import type { Answer } from '../support/stack';
import {
  call,
  latestCode,
  latestMessage,
  NEW_PASSWORD,
  PASSWORD,
  signIn,
  signUpConfirmed,
  target,
  uniqueEmail,
  useFlow,
  wrongCode,
} from './flow';

useFlow();

/** What a caller can compare between two answers: status, body and the headers that could differ. */
const seen = (answer: Answer) => ({
  status: answer.status,
  body: answer.body,
  contentType: answer.headers.get('content-type'),
  retryAfter: answer.headers.get('retry-after'),
});

/** The one answer every request in `answers` got. */
function alike(answers: Answer[]) {
  const first = seen(answers[0] as Answer);
  for (const answer of answers) expect(seen(answer)).toEqual(first);
  return first;
}

const signUpOnly = async (email: string) =>
  expect((await call('POST', '/auth/sign-up', { username: email, password: PASSWORD })).status).toBe(201);

describe('reset and confirm with a code that does not work', () => {
  it('answer a wrong reset code alike: pending code, none, unknown user, and past the fifth wrong code', async () => {
    const pending = uniqueEmail('enum-pending');
    await signUpConfirmed(pending);
    expect((await call('POST', '/password/forgot', { username: pending })).status).toBe(202);
    const code = await latestCode(pending);
    const none = uniqueEmail('enum-none');
    await signUpConfirmed(none);
    const reset = (username: string, c = wrongCode(code)) =>
      call('POST', '/password/reset', { username, code: c, password: NEW_PASSWORD });

    const answers = [await reset(none), await reset(uniqueEmail('enum-unknown'))];
    // Cognito answers LimitExceededException after the fifth wrong code (field report #25.3); the sixth, and
    // then even the right code, answer like a wrong code.
    for (let i = 0; i < 6; i++) answers.push(await reset(pending));
    answers.push(await reset(pending, code));
    const answer = alike(answers);
    expect(answer).toMatchObject({ status: 400, body: { code: 'CodeMismatch' }, retryAfter: null });
    expect(answer.body.detail).toContain('request a new code');

    // The advice works: a new code resets the password.
    expect((await call('POST', '/password/forgot', { username: pending })).status).toBe(202);
    expect((await reset(pending, await latestCode(pending))).status).toBe(204);
    await signIn(pending, NEW_PASSWORD);
  });

  it('answer a wrong confirmation code alike: unconfirmed, confirmed, unknown, and past the fifth', async () => {
    const unconfirmed = uniqueEmail('enum-unconfirmed');
    await signUpOnly(unconfirmed);
    const code = await latestCode(unconfirmed);
    const confirmed = uniqueEmail('enum-confirmed');
    await signUpConfirmed(confirmed);
    const confirm = (username: string, c = wrongCode(code)) =>
      call('POST', '/auth/sign-up/confirm', { username, code: c });

    const answers = [await confirm(confirmed), await confirm(uniqueEmail('enum-unknown'))];
    for (let i = 0; i < 6; i++) answers.push(await confirm(unconfirmed));
    answers.push(await confirm(unconfirmed, code));
    const answer = alike(answers);
    expect(answer).toMatchObject({ status: 400, body: { code: 'CodeMismatch' }, retryAfter: null });
    expect(answer.body.detail).toContain('request a new code');

    expect((await call('POST', '/auth/sign-up/resend', { username: unconfirmed })).status).toBe(202);
    expect((await confirm(unconfirmed, await latestCode(unconfirmed))).status).toBe(204);
  });
});

describe('code requests', () => {
  it.each([
    ['/password/forgot', 'CustomMessage_ForgotPassword', signUpConfirmed],
    ['/auth/sign-up/resend', 'CustomMessage_ResendCode', signUpOnly],
  ] as const)('%s hides the per-user limit: 202 alike, no Retry-After, and no mail', async (path, source, make) => {
    // The same first letters, so that the masked destinations are the same too.
    const real = uniqueEmail('limit');
    await make(real);
    const answers: Answer[] = [];
    for (let i = 0; i < 12; i++) {
      answers.push(await call('POST', path, { username: real }));
      answers.push(await call('POST', path, { username: uniqueEmail('limit') }));
    }
    expect(alike(answers)).toEqual({
      status: 202,
      body: { codeDelivery: { destination: 'l***@e***', medium: 'EMAIL', attribute: 'email' } },
      contentType: 'application/json',
      retryAfter: null,
    });
    // The local Cognito, like Cognito, stopped sending: fewer mails than requests.
    const sent = (await target().messages(real)).filter((m) => m.triggerSource === source);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(12);
  });

  it('masks the destination from the username as sent, normalized: the same for any spelling', async () => {
    const real = uniqueEmail('mask');
    await signUpConfirmed(real);
    const answers = [];
    for (const username of [real, ` ${real.toUpperCase()} `, uniqueEmail('mask')]) {
      answers.push(await call('POST', '/password/forgot', { username }));
    }
    expect(alike(answers).body.codeDelivery.destination).toBe('m***@e***');
  });

  // Cognito refuses ForgotPassword for FORCE_CHANGE_PASSWORD ("User password cannot be reset in the current
  // state", field report #25.5): the route resends the invitation instead (AdminCreateUser, MessageAction RESEND,
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html).
  it('sends an invited user who never signed in a fresh invitation, with the answer everyone gets', async () => {
    const invited = uniqueEmail('invited');
    await target().inviteUser(invited);
    const first = await latestMessage(invited);
    expect(first.triggerSource).toBe('CustomMessage_AdminCreateUser');

    const answers = [
      await call('POST', '/password/forgot', { username: invited }),
      await call('POST', '/password/forgot', { username: uniqueEmail('invited') }),
    ];
    expect(alike(answers).status).toBe(202);
    const messages = await target().messages(invited);
    expect(messages.map((m) => m.triggerSource)).toEqual([
      'CustomMessage_AdminCreateUser',
      'CustomMessage_AdminCreateUser',
    ]);
    const fresh = messages[1]?.code as string;
    expect(fresh).not.toBe(first.code);

    // The new temporary password is the way in; the old one no longer is.
    expect((await call('POST', '/auth/sign-in', { username: invited, password: first.code })).status).toBe(401);
    const signedIn = await call('POST', '/auth/sign-in', { username: invited, password: fresh });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.challenge.name).toBe('NEW_PASSWORD_REQUIRED');
  });
});

describe('sign-in', () => {
  // Cognito locks a user out after five failed sign-ins, longer with each further one, and answers
  // NotAuthorizedException "Password attempts exceeded" even to the right password
  // (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior).
  it('answers a lockout exactly like a wrong password and an unknown user: no 429 only a real account gets', async () => {
    const email = uniqueEmail('lockout');
    await signUpConfirmed(email);
    const attempt = (username: string, password: string) => call('POST', '/auth/sign-in', { username, password });
    const answers = [await attempt(uniqueEmail('lockout'), 'Wr0ng-Password!!')];
    // Five failures lock the user out for a second: the right password, sent at once, is refused. Should the
    // machine be so slow that the second is over, that sign-in succeeds, which starts the count again: retry.
    let locked: Answer | undefined;
    for (let round = 0; round < 5 && !locked; round++) {
      for (let i = 0; i < 5; i++) answers.push(await attempt(email, 'Wr0ng-Password!!'));
      const right = await attempt(email, PASSWORD);
      if (right.status !== 200) locked = right;
    }
    expect(locked).toBeDefined();
    answers.push(locked as Answer);
    expect(alike(answers)).toEqual({
      status: 401,
      body: expect.objectContaining({
        code: 'NotAuthorized',
        detail: 'Incorrect username or password, or wait a few minutes after several failed attempts.',
      }),
      contentType: 'application/problem+json',
      retryAfter: null,
    });
  });

  it('knows one user however the email is spelled: trimmed and lower-cased once', async () => {
    const email = uniqueEmail('spelling');
    const shouted = `  ${email.toUpperCase()} `;
    expect((await call('POST', '/auth/sign-up', { username: shouted, password: PASSWORD })).status).toBe(201);
    expect(
      (await call('POST', '/auth/sign-up/confirm', { username: email, code: await latestCode(email) })).status,
    ).toBe(204);
    await signIn(shouted);
    expect((await call('POST', '/auth/sign-up', { username: email, password: PASSWORD })).status).toBe(409);
  });
});
