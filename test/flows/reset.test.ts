/**
 * Forgot and reset: the mailed link, codes, and what a reset signs out.
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
  signUpConfirmed,
  target,
  uniqueEmail,
  useFlow,
  wrongCode,
} from './flow';

useFlow();

describe('forgot and reset', () => {
  it('runs the whole reset: localized link, wrong code, weak password, success, old sessions out, audit', async () => {
    const email = uniqueEmail('reset');
    await signUpConfirmed(email);
    const before = await signIn(email);
    const me = await call('GET', '/me', undefined, { token: before.accessToken });

    const redirectUri = target().redirectUri;
    const forgot = await call('POST', '/password/forgot', {
      username: email,
      clientMetadata: { locale: 'fr', redirectUri },
    });
    expect(forgot.status).toBe(202);
    expect(forgot.body.codeDelivery).toMatchObject({ medium: 'EMAIL', attribute: 'email' });

    const message = await latestMessage(email);
    expect(message.triggerSource).toBe('CustomMessage_ForgotPassword');
    expect(message.subject).toContain('Réinitialisez');
    expect(message.body).toContain(
      `href="${redirectUri}#flow=reset&amp;code=${message.code}&amp;username=${encodeURIComponent(email)}"`,
    );
    expect(message.body).not.toContain('?code=');

    expectProblem(
      await call('POST', '/password/reset', {
        username: email,
        code: wrongCode(message.code),
        password: NEW_PASSWORD,
      }),
      400,
      'CodeMismatch',
    );
    expectProblem(
      await call('POST', '/password/reset', { username: email, code: message.code, password: 'weakpassword' }),
      400,
      'InvalidPassword',
    );
    const reset = await call('POST', '/password/reset', {
      username: email,
      code: message.code,
      password: NEW_PASSWORD,
      clientMetadata: { locale: 'fr', redirectUri },
    });
    expect(reset.status).toBe(204);

    expectProblem(await call('POST', '/auth/sign-in', { username: email, password: PASSWORD }), 401, 'NotAuthorized');
    await signIn(email, NEW_PASSWORD);

    const refresh = await call('POST', '/auth/refresh', { refreshToken: before.refreshToken });
    expectProblem(refresh, 401, 'NotAuthorized');
    expectProblem(await call('GET', '/me', undefined, { token: before.accessToken }), 401, 'NotAuthorized');

    const events = await target().events();
    const audit = events.find(
      (e) => e.detailType === 'PasswordResetCompleted' && e.detail.sub === me.body.attributes.sub,
    );
    expect(audit?.detail.clientMetadata).toEqual({ locale: 'fr', redirectUri });
  });

  it('answers forgot for an unknown and an unconfirmed user like for a real one', async () => {
    const real = uniqueEmail('forgot-real');
    await signUpConfirmed(real);
    const unconfirmed = uniqueEmail('forgot-unconfirmed');
    await call('POST', '/auth/sign-up', { username: unconfirmed, password: PASSWORD });
    const answers = await Promise.all(
      [real, unconfirmed, uniqueEmail('forgot-unknown')].map((username) =>
        call('POST', '/password/forgot', { username }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(202);
      expect(answer.body.codeDelivery).toMatchObject({
        destination: expect.stringMatching(/^f\*\*\*@e\*\*\*$/),
        medium: 'EMAIL',
        attribute: 'email',
      });
    }
  });

  it('rejects an off-list redirectUri, and no message carries it', async () => {
    const email = uniqueEmail('phish');
    await signUpConfirmed(email);
    const count = (await target().messages(email)).length;
    const answer = await call('POST', '/password/forgot', {
      username: email,
      clientMetadata: { redirectUri: 'https://evil.example.net/reset' },
    });
    expectProblem(answer, 400, 'ValidationFailed');
    expect(answer.body.errors).toEqual([
      { path: 'clientMetadata.redirectUri', message: 'is not on the redirect allowlist' },
    ]);
    const messages = await target().messages(email);
    expect(messages).toHaveLength(count);
    expect(JSON.stringify(messages)).not.toContain('evil.example.net');
  });
});
