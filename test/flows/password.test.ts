/**
 * Changing a password, and the administrator's reset.
 * Part of the flow suite: written once against a target (test/support/target.ts).
 */
import { describe, expect, it } from '@jest/globals';
import {
  call,
  expectProblem,
  latestMessage,
  NEW_PASSWORD,
  PASSWORD,
  signIn,
  signInAsAdmin,
  signUpConfirmed,
  target,
  uniqueEmail,
  useFlow,
} from './flow';

useFlow();

describe('change password', () => {
  it('needs a token, refuses a wrong previous password, then changes it and ends every other session', async () => {
    const email = uniqueEmail('change');
    await signUpConfirmed(email);
    const { accessToken, refreshToken } = await signIn(email);
    const elsewhere = await signIn(email);
    expectProblem(
      await call('POST', '/password/change', { previousPassword: PASSWORD, proposedPassword: NEW_PASSWORD }),
      401,
      'NotAuthorized',
    );
    expectProblem(
      await call(
        'POST',
        '/password/change',
        { previousPassword: 'Wr0ng-Password!!', proposedPassword: NEW_PASSWORD },
        { token: accessToken },
      ),
      403,
      'IncorrectPassword',
    );
    const change = await call(
      'POST',
      '/password/change',
      { previousPassword: PASSWORD, proposedPassword: NEW_PASSWORD },
      { token: accessToken },
    );
    // Fresh tokens for the caller; every session from before, this one's included, is over.
    expect(change.status).toBe(200);
    expect(change.body).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String) });
    expect((await call('GET', '/me', undefined, { token: change.body.accessToken })).status).toBe(200);
    for (const token of [accessToken, elsewhere.accessToken]) {
      expectProblem(await call('GET', '/me', undefined, { token }), 401, 'NotAuthorized');
    }
    for (const old of [refreshToken, elsewhere.refreshToken]) {
      expectProblem(await call('POST', '/auth/refresh', { refreshToken: old }), 401, 'NotAuthorized');
    }
    expect((await call('POST', '/auth/refresh', { refreshToken: change.body.refreshToken })).status).toBe(200);
    await signIn(email, NEW_PASSWORD);
  });
});

describe('admin reset', () => {
  it('needs a token and the admins group, then requires a reset the user completes with the emailed code', async () => {
    const email = uniqueEmail('target');
    await signUpConfirmed(email);
    const other = uniqueEmail('not-admin');
    await signUpConfirmed(other);
    const path = `/admin/users/${encodeURIComponent(email)}/password-reset`;

    expectProblem(await call('POST', path), 401, 'NotAuthorized');
    const user = await signIn(other);
    expectProblem(await call('POST', path, undefined, { token: user.accessToken }), 403, 'Forbidden');

    const session = await signIn(email);
    const admin = await signInAsAdmin();
    const reset = await call('POST', path, { clientMetadata: { locale: 'es' } }, { token: admin.accessToken });
    expect(reset.status).toBe(202);
    // Whoever holds the user's tokens is signed out with the reset.
    expectProblem(await call('GET', '/me', undefined, { token: session.accessToken }), 401, 'NotAuthorized');
    expectProblem(
      await call('POST', `/admin/users/${encodeURIComponent(uniqueEmail('nobody'))}/password-reset`, undefined, {
        token: admin.accessToken,
      }),
      404,
      'UserNotFound',
    );

    expectProblem(
      await call('POST', '/auth/sign-in', { username: email, password: PASSWORD }),
      403,
      'PasswordResetRequired',
    );
    const message = await latestMessage(email);
    expect(message.triggerSource).toBe('CustomMessage_ForgotPassword');
    expect(message.subject).toContain('Debes restablecer');
    expect(
      (await call('POST', '/password/reset', { username: email, code: message.code, password: NEW_PASSWORD })).status,
    ).toBe(204);
    await signIn(email, NEW_PASSWORD);
  });

  it('finds the target however its address is spelled in the path (normalized like every username)', async () => {
    const email = uniqueEmail('target-spelled');
    await signUpConfirmed(email);
    const admin = await signInAsAdmin();
    const spelled = ` ${email.toUpperCase()} `;
    const reset = await call('POST', `/admin/users/${encodeURIComponent(spelled)}/password-reset`, undefined, {
      token: admin.accessToken,
    });
    expect(reset.status).toBe(202);
    expect(reset.body).toEqual({ action: 'resetRequired' });
    expect((await latestMessage(email)).triggerSource).toBe('CustomMessage_ForgotPassword');
  });

  it("refuses an administrator's token once it is revoked, though it has not expired", async () => {
    const email = uniqueEmail('target-revoked');
    await signUpConfirmed(email);
    const admin = await signInAsAdmin();
    expect((await call('POST', '/auth/sign-out', undefined, { token: admin.accessToken })).status).toBe(204);
    const path = `/admin/users/${encodeURIComponent(email)}/password-reset`;
    expectProblem(await call('POST', path, undefined, { token: admin.accessToken }), 401, 'NotAuthorized');
    await signIn(email);
  });

  it('answers by the target state: a fresh invitation for an invited user, 409 for an unconfirmed one', async () => {
    const admin = await signInAsAdmin();
    const reset = (username: string) =>
      call('POST', `/admin/users/${encodeURIComponent(username)}/password-reset`, undefined, {
        token: admin.accessToken,
      });

    const invited = uniqueEmail('invited-never-signed-in');
    await target().inviteUser(invited);
    const first = await latestMessage(invited);
    const again = await reset(invited);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ action: 'invitationResent' });
    const second = await latestMessage(invited);
    expect(second.triggerSource).toBe('CustomMessage_AdminCreateUser');
    expect(second.code).not.toBe(first.code);
    // The new temporary password signs in (to the new-password challenge); the old one no longer does.
    expect(
      (await call('POST', '/auth/sign-in', { username: invited, password: second.code })).body.challenge,
    ).toBeDefined();

    const unconfirmed = uniqueEmail('unconfirmed-target');
    expect((await call('POST', '/auth/sign-up', { username: unconfirmed, password: PASSWORD })).status).toBe(201);
    expectProblem(await reset(unconfirmed), 409, 'TargetNotConfirmed');
    // The administrator's session is untouched: a frontend that signs out on 401 keeps them signed in.
    expect((await call('GET', '/me', undefined, { token: admin.accessToken })).status).toBe(200);
  });
});
