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
  uniqueEmail,
  useFlow,
} from './flow';

useFlow();

describe('change password', () => {
  it('needs a token, refuses a wrong previous password, then changes it', async () => {
    const email = uniqueEmail('change');
    await signUpConfirmed(email);
    const { accessToken } = await signIn(email);
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
      401,
      'NotAuthorized',
    );
    const change = await call(
      'POST',
      '/password/change',
      { previousPassword: PASSWORD, proposedPassword: NEW_PASSWORD },
      { token: accessToken },
    );
    expect(change.status).toBe(204);
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

  it("refuses an administrator's token once it is revoked, though it has not expired", async () => {
    const email = uniqueEmail('target-revoked');
    await signUpConfirmed(email);
    const admin = await signInAsAdmin();
    expect((await call('POST', '/auth/sign-out', undefined, { token: admin.accessToken })).status).toBe(204);
    const path = `/admin/users/${encodeURIComponent(email)}/password-reset`;
    expectProblem(await call('POST', path, undefined, { token: admin.accessToken }), 401, 'NotAuthorized');
    await signIn(email);
  });
});
