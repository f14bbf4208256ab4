/**
 * Self-service account: attributes, verification, refresh, sign-out, delete, challenges.
 * Part of the flow suite: written once against a target (test/support/target.ts).
 */
import { describe, expect, it } from '@jest/globals';
import {
  call,
  expectProblem,
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

describe('self-service account', () => {
  it('updates the name, changes the email through verification, refreshes, signs out and deletes', async () => {
    const email = uniqueEmail('account');
    await signUpConfirmed(email);
    const tokens = await signIn(email);
    const auth = { token: tokens.accessToken };

    const name = await call('PATCH', '/me/attributes', { attributes: { name: 'Grace' } }, auth);
    expect(name.status).toBe(200);
    expect(name.body).toEqual({ codeDeliveries: [] });

    const newEmail = uniqueEmail('account-new');
    // A stolen access token alone cannot move the email: the current password is required, and checked.
    expectProblem(
      await call('PATCH', '/me/attributes', { attributes: { email: newEmail } }, auth),
      400,
      'ValidationFailed',
    );
    expectProblem(
      await call(
        'PATCH',
        '/me/attributes',
        { attributes: { email: newEmail }, currentPassword: 'Wr0ng-Guess-123!' },
        auth,
      ),
      403,
      'IncorrectPassword',
    );
    expect((await call('GET', '/me', undefined, auth)).body.attributes.email).toBe(email);
    const change = await call(
      'PATCH',
      '/me/attributes',
      { attributes: { email: newEmail }, currentPassword: PASSWORD },
      auth,
    );
    expect(change.status).toBe(200);
    expect(change.body.codeDeliveries).toHaveLength(1);
    let me = await call('GET', '/me', undefined, auth);
    expect(me.body.attributes).toMatchObject({ email, name: 'Grace' });

    const resend = await call('POST', '/me/attributes/verification-code', { attribute: 'email' }, auth);
    expect(resend.status).toBe(202);
    const code = await latestCode(newEmail);
    expectProblem(
      await call('POST', '/me/attributes/verify', { attribute: 'email', code: wrongCode(code) }, auth),
      400,
      'CodeMismatch',
    );
    expect((await call('POST', '/me/attributes/verify', { attribute: 'email', code }, auth)).status).toBe(204);
    me = await call('GET', '/me', undefined, auth);
    expect(me.body.attributes).toMatchObject({ email: newEmail, email_verified: 'true' });

    // The refresh token alone: the answer rotates it.
    const refreshed = await call('POST', '/auth/refresh', { refreshToken: tokens.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({
      accessToken: expect.any(String),
      idToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
    });
    expect(refreshed.body.refreshToken).not.toBe(tokens.refreshToken);
    // The old contract's `username` is still accepted (and ignored); the new token refreshes.
    const again2 = await call('POST', '/auth/refresh', {
      refreshToken: refreshed.body.refreshToken,
      username: 'ignored@example.com',
    });
    expect(again2.status).toBe(200);

    expect((await call('POST', '/auth/sign-out', undefined, { token: refreshed.body.accessToken })).status).toBe(204);
    for (const refreshToken of [tokens.refreshToken, refreshed.body.refreshToken, again2.body.refreshToken]) {
      expectProblem(await call('POST', '/auth/refresh', { refreshToken }), 401, 'NotAuthorized');
    }

    const again = await signIn(newEmail);
    expect((await call('DELETE', '/me', undefined, { token: again.accessToken })).status).toBe(204);
    expectProblem(
      await call('POST', '/auth/sign-in', { username: newEmail, password: PASSWORD }),
      401,
      'NotAuthorized',
    );
  });

  it('answers a new-password challenge for an account an administrator created', async () => {
    const email = uniqueEmail('invited');
    await target().inviteUser(email);
    const invite = await latestMessage(email);
    expect(invite.triggerSource).toBe('CustomMessage_AdminCreateUser');
    const signInAnswer = await call('POST', '/auth/sign-in', { username: email, password: invite.code });
    expect(signInAnswer.status).toBe(200);
    expect(signInAnswer.body.challenge).toMatchObject({ name: 'NEW_PASSWORD_REQUIRED', session: expect.any(String) });
    // The real username (the sub), which Cognito requires in the answer instead of the email alias.
    const { username } = signInAnswer.body.challenge;
    expect(username).toMatch(/^[0-9a-f-]{36}$/);
    const answer = await call('POST', '/auth/new-password', {
      username,
      session: signInAnswer.body.challenge.session,
      newPassword: NEW_PASSWORD,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.accessToken).toEqual(expect.any(String));
    await signIn(email, NEW_PASSWORD);
  });
});
