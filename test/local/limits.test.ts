/**
 * Each limit answers with the exception Cognito uses (field report #25.3), on the injectable clock:
 * - five wrong codes, then LimitExceededException, on ConfirmForgotPassword, ConfirmSignUp and
 *   VerifyUserAttribute (aws-amplify/amplify-ui-android#180 and #182: CodeMismatchException five
 *   times, then LimitExceededException; the API model also lists TooManyFailedAttemptsException,
 *   which field reports do not show for codes);
 * - sign-in: the lockout of https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior
 *   (2^(n-5) s after n failures, at most about 15 minutes, "Password attempts exceeded", reset by a
 *   success after the lockout or by 15 idle minutes after one);
 * - ChangePassword: "Maximum number of ChangePassword calls per user: 5 attempts per hour"
 *   (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html#resource-quotas), LimitExceededException.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  NEW_PASSWORD,
  PASSWORD,
  type Pool,
  type Served,
  WRONG_PASSWORD,
  apiRef,
  createPool,
  errorOf,
  failure,
  flows,
  sdk,
  serveCognito,
  uniqueEmail,
} from './harness';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
let served: Served;
let pool: Pool;
let f: ReturnType<typeof flows>;

beforeAll(async () => {
  served = await serveCognito();
  pool = await createPool(served);
  f = flows(served, pool);
});

afterAll(() => served?.stop());

const wrongCode = (right: string) => (right === '000000' ? '111111' : '000000');

describe('five wrong codes, then LimitExceededException', () => {
  it(`on ConfirmForgotPassword, even for the right code; a new code starts again (${apiRef('ConfirmForgotPassword')})`, async () => {
    const user = uniqueEmail('reset-codes');
    await f.confirmed(user);
    await f.forgot(user);
    const right = f.lastCode(user);
    for (let i = 0; i < 5; i++)
      expect(await errorOf(f.confirmForgot(user, wrongCode(right)))).toBe('CodeMismatchException');
    const limited = await failure(f.confirmForgot(user, right));
    expect(limited?.name).toBe('LimitExceededException');
    expect(limited?.message).toBe('Attempt limit exceeded, please try after some time.');
    await f.forgot(user);
    await f.confirmForgot(user, f.lastCode(user));
    expect((await f.tokens(user, NEW_PASSWORD)).AccessToken).toEqual(expect.any(String));
  });

  it(`on ConfirmSignUp (${apiRef('ConfirmSignUp')})`, async () => {
    const user = uniqueEmail('sign-up-codes');
    await f.signUp(user);
    const right = f.lastCode(user);
    for (let i = 0; i < 5; i++)
      expect(await errorOf(f.confirmSignUp(user, wrongCode(right)))).toBe('CodeMismatchException');
    expect(await errorOf(f.confirmSignUp(user, right))).toBe('LimitExceededException');
    expect((await f.adminGet(user)).UserStatus).toBe('UNCONFIRMED');
  });

  it(`on VerifyUserAttribute (${apiRef('VerifyUserAttribute')})`, async () => {
    const user = uniqueEmail('verify-codes');
    const tokens = await f.confirmed(user);
    const next = uniqueEmail('verify-codes-new');
    await served.send(
      new sdk.UpdateUserAttributesCommand({
        AccessToken: tokens.AccessToken,
        UserAttributes: [{ Name: 'email', Value: next }],
      }),
    );
    const right = f.lastCode(next);
    const verify = (Code: string) =>
      errorOf(
        served.send(
          new sdk.VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken, AttributeName: 'email', Code }),
        ),
      );
    for (let i = 0; i < 5; i++) expect(await verify(wrongCode(right))).toBe('CodeMismatchException');
    expect(await verify(right)).toBe('LimitExceededException');
    expect((await f.attributes(tokens.AccessToken)).email).toBe(user);
  });
});

describe('sign-in lockout', () => {
  const attempt = async (user: string, password: string) =>
    (await failure(f.signIn(user, password)))?.message ?? 'signed in';

  it('locks for 2^(n-5) seconds from the fifth failure; attempts while locked are refused and do not count', async () => {
    const user = uniqueEmail('lockout');
    await f.confirmed(user);
    for (let i = 0; i < 5; i++) expect(await attempt(user, WRONG_PASSWORD)).toBe('Incorrect username or password.');
    // n = 5: one second, during which even the right password is refused.
    expect(await attempt(user, PASSWORD)).toBe('Password attempts exceeded');
    served.clock.advance(1 * SECOND + 1);
    expect(await attempt(user, WRONG_PASSWORD)).toBe('Incorrect username or password.');
    // n = 6: two seconds.
    served.clock.advance(1.5 * SECOND);
    expect(await attempt(user, WRONG_PASSWORD)).toBe('Password attempts exceeded');
    served.clock.advance(0.5 * SECOND + 1);
    expect(await attempt(user, PASSWORD)).toBe('signed in');
    // The success reset the count: four failures lock nothing.
    for (let i = 0; i < 4; i++) await attempt(user, WRONG_PASSWORD);
    expect(await attempt(user, PASSWORD)).toBe('signed in');
  });

  it('never locks for more than about 15 minutes', async () => {
    const user = uniqueEmail('lockout-cap');
    await f.confirmed(user);
    for (let n = 1; n <= 20; n++) {
      expect(await attempt(user, WRONG_PASSWORD)).toBe('Incorrect username or password.');
      // Past this failure's lockout (2^(n-5) s, capped), but never 15 idle minutes.
      served.clock.advance(n < 5 ? 0 : Math.min(2 ** (n - 5) * SECOND, 15 * MINUTE) + 1);
    }
    // n = 20 would be 2^15 s (9 hours) uncapped; it was 15 minutes, now over.
    expect(await attempt(user, PASSWORD)).toBe('signed in');
  });

  it('forgets the failures after 15 minutes without any attempt after a lockout', async () => {
    const user = uniqueEmail('lockout-idle');
    await f.confirmed(user);
    for (let i = 0; i < 6; i++) {
      await attempt(user, WRONG_PASSWORD);
      served.clock.advance(2 * SECOND + 1);
    }
    served.clock.advance(15 * MINUTE);
    // Back to n = 0: four failures and no lockout (n = 10 would lock for 32 s).
    for (let i = 0; i < 4; i++) expect(await attempt(user, WRONG_PASSWORD)).toBe('Incorrect username or password.');
    expect(await attempt(user, PASSWORD)).toBe('signed in');
  });
});

describe(`ChangePassword (${apiRef('ChangePassword')})`, () => {
  const change = (accessToken: string | undefined, previous: string, proposed: string) =>
    errorOf(
      served.send(
        new sdk.ChangePasswordCommand({
          AccessToken: accessToken,
          PreviousPassword: previous,
          ProposedPassword: proposed,
        }),
      ),
    );

  it('allows five calls per user per hour, right or wrong; the sixth is LimitExceededException', async () => {
    const user = uniqueEmail('change');
    const tokens = await f.confirmed(user);
    expect(await change(tokens.AccessToken, PASSWORD, NEW_PASSWORD)).toBe('no error');
    expect(await change(tokens.AccessToken, WRONG_PASSWORD, PASSWORD)).toBe('NotAuthorizedException');
    expect(await change(tokens.AccessToken, NEW_PASSWORD, PASSWORD)).toBe('no error');
    expect(await change(tokens.AccessToken, PASSWORD, NEW_PASSWORD)).toBe('no error');
    expect(await change(tokens.AccessToken, WRONG_PASSWORD, PASSWORD)).toBe('NotAuthorizedException');
    expect(await change(tokens.AccessToken, NEW_PASSWORD, PASSWORD)).toBe('LimitExceededException');
    served.clock.advance(60 * MINUTE + 1);
    // An hour later (with a new token: the first one has expired too) the quota is free again.
    const later = await f.tokens(user, NEW_PASSWORD);
    expect(await change(later.AccessToken, NEW_PASSWORD, PASSWORD)).toBe('no error');
  });

  it('does not lock sign-in with wrong previous passwords', async () => {
    const user = uniqueEmail('change-wrong');
    const tokens = await f.confirmed(user);
    for (let i = 0; i < 5; i++)
      expect(await change(tokens.AccessToken, WRONG_PASSWORD, NEW_PASSWORD)).toBe('NotAuthorizedException');
    expect(await attempt(user)).toBe('signed in');
  });

  const attempt = async (user: string) => ((await failure(f.signIn(user, PASSWORD))) ? 'refused' : 'signed in');
});
