/**
 * Sign-up, confirmation and resend, as a frontend drives them.
 * Part of the flow suite: written once against a target (test/support/target.ts).
 */
import { describe, expect, it } from '@jest/globals';
import {
  call,
  expectProblem,
  latestMessage,
  PASSWORD,
  signIn,
  signUpConfirmed,
  target,
  uniqueEmail,
  useFlow,
} from './flow';

useFlow();

describe('sign-up', () => {
  it('signs up, confirms with the emailed code, publishes UserConfirmed, signs in and reads /me', async () => {
    const email = uniqueEmail('signup');
    const signUp = await call('POST', '/auth/sign-up', {
      username: email,
      password: PASSWORD,
      attributes: { name: 'Ada' },
      clientMetadata: { locale: 'de-AT', app: 'shop' },
    });
    expect(signUp.status).toBe(201);
    expect(signUp.body).toMatchObject({
      userSub: expect.any(String),
      userConfirmed: false,
      codeDelivery: { medium: 'EMAIL' },
    });
    expect(signUp.body.codeDelivery.destination).not.toContain(email);

    const message = await latestMessage(email);
    expect(message.triggerSource).toBe('CustomMessage_SignUp');
    expect(message.subject).toContain('Bestätigen');
    expect(message.body).toContain(message.code);

    const early = await call('POST', '/auth/sign-in', { username: email, password: PASSWORD });
    expectProblem(early, 403, 'UserNotConfirmed');

    const confirm = await call('POST', '/auth/sign-up/confirm', { username: email, code: message.code });
    expect(confirm.status).toBe(204);

    const events = await target().events();
    const confirmed = events.find((e) => e.detailType === 'UserConfirmed' && e.detail.sub === signUp.body.userSub);
    expect(confirmed?.detail).toMatchObject({ triggerSource: 'PostConfirmation_ConfirmSignUp', clientMetadata: {} });

    const tokens = await signIn(email);
    const me = await call('GET', '/me', undefined, { token: tokens.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.attributes).toMatchObject({ email, name: 'Ada', email_verified: 'true' });
  });

  it('answers resend the same way for a real, an unconfirmed and an unknown user', async () => {
    const confirmed = uniqueEmail('resend-confirmed');
    await signUpConfirmed(confirmed);
    const unconfirmed = uniqueEmail('resend-unconfirmed');
    await call('POST', '/auth/sign-up', { username: unconfirmed, password: PASSWORD });
    const answers = await Promise.all(
      [confirmed, unconfirmed, uniqueEmail('resend-unknown')].map((username) =>
        call('POST', '/auth/sign-up/resend', { username }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(202);
      expect(Object.keys(answer.body)).toEqual(['codeDelivery']);
      expect(Object.keys(answer.body.codeDelivery).sort()).toEqual(['attribute', 'destination', 'medium']);
    }
    expect((await target().messages(unconfirmed)).map((m) => m.triggerSource)).toEqual([
      'CustomMessage_SignUp',
      'CustomMessage_ResendCode',
    ]);
  });

  it('refuses a weak password with InvalidPassword and a duplicate with UsernameExists', async () => {
    const email = uniqueEmail('weak');
    expectProblem(
      await call('POST', '/auth/sign-up', { username: email, password: 'short1!A' }),
      400,
      'InvalidPassword',
    );
    await signUpConfirmed(email);
    expectProblem(await call('POST', '/auth/sign-up', { username: email, password: PASSWORD }), 409, 'UsernameExists');
  });
});
