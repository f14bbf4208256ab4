/**
 * User states follow Cognito (field report #25.5): what each operation does for an UNCONFIRMED,
 * FORCE_CHANGE_PASSWORD, RESET_REQUIRED or disabled user.
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

let served: Served;
let pool: Pool;
let f: ReturnType<typeof flows>;

beforeAll(async () => {
  served = await serveCognito();
  pool = await createPool(served);
  f = flows(served, pool);
});

afterAll(() => served?.stop());

const mailTo = (to: string) => served.local.outbox.filter((m) => m.to === to);
const admin = (command: 'disable' | 'enable' | 'reset', username: string) => {
  const target = { UserPoolId: pool.poolId, Username: username };
  if (command === 'disable') return served.send(new sdk.AdminDisableUserCommand(target));
  if (command === 'enable') return served.send(new sdk.AdminEnableUserCommand(target));
  return served.send(new sdk.AdminResetUserPasswordCommand(target));
};

describe(`FORCE_CHANGE_PASSWORD (invited, never signed in) (${apiRef('ForgotPassword')})`, () => {
  it('ForgotPassword is NotAuthorizedException "cannot be reset in the current state", and no mail goes out', async () => {
    const user = uniqueEmail('invited');
    await f.invite(user); // verified email, invitation suppressed
    expect((await f.adminGet(user)).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const refused = await failure(f.forgot(user));
    expect(refused?.name).toBe('NotAuthorizedException');
    expect(refused?.message).toBe('User password cannot be reset in the current state.');
    expect(mailTo(user)).toHaveLength(0);
    expect(await errorOf(f.confirmForgot(user, '123456'))).toBe('NotAuthorizedException');
    // What does work: the temporary password, which asks for a new one.
    expect((await f.signIn(user, PASSWORD)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it(`cannot be confirmed with a sign-up code (${apiRef('ConfirmSignUp')})`, async () => {
    const user = uniqueEmail('invited-confirm');
    await f.invite(user);
    const refused = await failure(f.confirmSignUp(user, '123456'));
    expect(refused?.name).toBe('NotAuthorizedException');
    expect(refused?.message).toBe('User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD');
  });
});

describe('UNCONFIRMED', () => {
  it('cannot sign in, nor reset a password it has no verified address for', async () => {
    const user = uniqueEmail('unconfirmed');
    await f.signUp(user);
    const before = mailTo(user).length;
    expect(await errorOf(f.signIn(user))).toBe('UserNotConfirmedException');
    const forgot = await failure(f.forgot(user));
    expect(forgot?.name).toBe('InvalidParameterException');
    expect(forgot?.message).toMatch(/no registered\/verified email/);
    expect(mailTo(user)).toHaveLength(before);
    expect(await errorOf(f.confirmForgot(user, '123456'))).toBe('UserNotConfirmedException');
    expect(await errorOf(admin('reset', user))).toBe('NotAuthorizedException');
  });
});

describe(`RESET_REQUIRED (${apiRef('AdminResetUserPassword')})`, () => {
  it('cannot sign in until the user sets a new password with the emailed code', async () => {
    const user = uniqueEmail('reset-required');
    await f.confirmed(user);
    await admin('reset', user);
    expect((await f.adminGet(user)).UserStatus).toBe('RESET_REQUIRED');
    expect(await errorOf(f.signIn(user))).toBe('PasswordResetRequiredException');
    await f.confirmForgot(user, f.lastCode(user));
    expect((await f.adminGet(user)).UserStatus).toBe('CONFIRMED');
    expect((await f.tokens(user, NEW_PASSWORD)).AccessToken).toEqual(expect.any(String));
  });
});

describe(`disabled (${apiRef('AdminDisableUser')})`, () => {
  it('cannot sign in ("User is disabled." for the right password only); its tokens are revoked', async () => {
    const user = uniqueEmail('disabled');
    const tokens = await f.confirmed(user);
    await admin('disable', user);
    expect((await f.adminGet(user)).Enabled).toBe(false);
    const refused = await failure(f.signIn(user));
    expect(refused?.name).toBe('NotAuthorizedException');
    expect(refused?.message).toBe('User is disabled.');
    expect((await failure(f.signIn(user, WRONG_PASSWORD)))?.message).toBe('Incorrect username or password.');
    expect(await errorOf(f.getUser(tokens.AccessToken))).toBe('NotAuthorizedException');
    expect(
      await errorOf(
        served.send(
          new sdk.InitiateAuthCommand({
            ClientId: pool.clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken ?? '' },
          }),
        ),
      ),
    ).toBe('NotAuthorizedException');
    // "still appears in the responses to ListUsers API requests"
    const listed = await served.send(
      new sdk.ListUsersCommand({ UserPoolId: pool.poolId, Filter: 'status = "Disabled"' }),
    );
    expect(listed.Users.map((u: any) => u.Attributes.find((a: any) => a.Name === 'email')?.Value)).toContain(user);
  });

  it(`can sign in again once enabled; tokens revoked while disabled stay revoked (${apiRef('AdminEnableUser')})`, async () => {
    const user = uniqueEmail('enabled');
    const tokens = await f.confirmed(user);
    await admin('disable', user);
    await admin('enable', user);
    expect((await f.adminGet(user)).Enabled).toBe(true);
    expect(await errorOf(f.getUser(tokens.AccessToken))).toBe('NotAuthorizedException');
    expect((await f.tokens(user)).AccessToken).toEqual(expect.any(String));
  });

  it('cannot complete a new-password challenge begun before it was disabled', async () => {
    const user = uniqueEmail('disabled-challenge');
    await f.invite(user);
    const challenge = await f.signIn(user, PASSWORD);
    await admin('disable', user);
    const refused = await failure(
      served.send(
        new sdk.RespondToAuthChallengeCommand({
          ClientId: pool.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: challenge.ChallengeParameters.USER_ID_FOR_SRP, NEW_PASSWORD },
        }),
      ),
    );
    expect(refused?.message).toBe('User is disabled.');
    expect((await f.adminGet(user)).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('cannot reset its password', async () => {
    const user = uniqueEmail('disabled-forgot');
    await f.confirmed(user);
    const before = mailTo(user).length;
    await admin('disable', user);
    expect(await errorOf(f.forgot(user))).toBe('NotAuthorizedException');
    expect(mailTo(user)).toHaveLength(before);
  });
});
