/**
 * Messages Cognito sends, or doesn't: AdminCreateUser's MessageAction (SUPPRESS, RESEND) and
 * SignUp in a pool that does not verify email automatically.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  NEW_PASSWORD,
  PASSWORD,
  type Pool,
  type Served,
  apiRef,
  createPool,
  errorOf,
  failure,
  flows,
  sdk,
  serveCognito,
  uniqueEmail,
} from './harness';

const DAY = 86_400_000;
let served: Served;
let pool: Pool;

beforeAll(async () => {
  served = await serveCognito();
  pool = await createPool(served, { Policies: { PasswordPolicy: { TemporaryPasswordValidityDays: 7 } } });
});

afterAll(() => served?.stop());

const messagesTo = (to: string) => served.local.outbox.filter((m) => m.to === to);
const create = (username: string, extra: Partial<sdk.AdminCreateUserCommandInput> = {}) =>
  served.send(new sdk.AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: username, ...extra }));
const challengeOf = async (username: string, password: string) =>
  (await flows(served, pool).signIn(username, password)).ChallengeName;

describe(`AdminCreateUser MessageAction (${apiRef('AdminCreateUser')})`, () => {
  it('sends the invitation with the temporary password by default, and nothing with SUPPRESS', async () => {
    const invited = uniqueEmail('invited');
    await create(invited, { TemporaryPassword: PASSWORD });
    expect(messagesTo(invited)).toHaveLength(1);
    expect(messagesTo(invited)[0]).toMatchObject({ triggerSource: 'CustomMessage_AdminCreateUser', code: PASSWORD });
    const quiet = uniqueEmail('quiet');
    await create(quiet, { TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' });
    expect(messagesTo(quiet)).toHaveLength(0);
  });

  it('RESEND gives a user who never signed in a new temporary password, a fresh validity and the invitation again', async () => {
    const user = uniqueEmail('resend');
    await create(user, { TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' });
    served.clock.advance(6 * DAY);
    const resent = await create(user, { MessageAction: 'RESEND' });
    expect(resent.User).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    const [invitation] = messagesTo(user);
    expect(invitation).toMatchObject({ triggerSource: 'CustomMessage_AdminCreateUser' });
    const temporary = invitation?.code ?? '';
    expect(temporary).not.toBe(PASSWORD);
    expect(await errorOf(flows(served, pool).signIn(user, PASSWORD))).toBe('NotAuthorizedException');
    // Seven days from the resend, not from the creation.
    served.clock.advance(3 * DAY);
    expect(await challengeOf(user, temporary)).toBe('NEW_PASSWORD_REQUIRED');
    served.clock.advance(5 * DAY);
    const expired = await failure(flows(served, pool).signIn(user, temporary));
    expect(expired?.name).toBe('NotAuthorizedException');
    expect(expired?.message).toMatch(/expired/);
  });

  it('RESEND for an unknown user is UserNotFoundException, for a user past the invitation UnsupportedUserStateException', async () => {
    expect(await errorOf(create(uniqueEmail('nobody'), { MessageAction: 'RESEND' }))).toBe('UserNotFoundException');
    const user = uniqueEmail('signed-in');
    await create(user, { TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' });
    const challenge = await flows(served, pool).signIn(user, PASSWORD);
    await served.send(
      new sdk.RespondToAuthChallengeCommand({
        ClientId: pool.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: challenge.ChallengeParameters.USER_ID_FOR_SRP, NEW_PASSWORD },
      }),
    );
    const refused = await failure(create(user, { MessageAction: 'RESEND' }));
    expect(refused?.name).toBe('UnsupportedUserStateException');
    expect(messagesTo(user)).toHaveLength(0);
    const signedUp = uniqueEmail('unconfirmed');
    await flows(served, pool).signUp(signedUp);
    expect(await errorOf(create(signedUp, { MessageAction: 'RESEND' }))).toBe('UnsupportedUserStateException');
  });
});

describe(`SignUp in a pool that does not verify email automatically (${apiRef('SignUp')})`, () => {
  it('sends no code and answers no CodeDeliveryDetails; the user waits for AdminConfirmSignUp', async () => {
    const manual = await createPool(served, { AutoVerifiedAttributes: [], UserAttributeUpdateSettings: {} });
    const user = uniqueEmail('no-auto-verify');
    const answer = await flows(served, manual).signUp(user);
    expect(answer.UserConfirmed).toBe(false);
    expect(answer.CodeDeliveryDetails).toBeUndefined();
    expect(messagesTo(user)).toHaveLength(0);
    expect(await errorOf(flows(served, manual).signIn(user))).toBe('UserNotConfirmedException');
    await served.send(new sdk.AdminConfirmSignUpCommand({ UserPoolId: manual.poolId, Username: user }));
    expect((await flows(served, manual).adminGet(user)).UserStatus).toBe('CONFIRMED');
    expect((await flows(served, manual).tokens(user)).AccessToken).toEqual(expect.any(String));
  });

  it('and an email change there sends no code either: the address is set, unverified', async () => {
    const manual = await createPool(served, { AutoVerifiedAttributes: [], UserAttributeUpdateSettings: {} });
    const user = uniqueEmail('no-auto-verify-change');
    await flows(served, manual).signUp(user);
    await served.send(new sdk.AdminConfirmSignUpCommand({ UserPoolId: manual.poolId, Username: user }));
    const tokens = await flows(served, manual).tokens(user);
    const next = uniqueEmail('no-auto-verify-new');
    const answer = await served.send(
      new sdk.UpdateUserAttributesCommand({
        AccessToken: tokens.AccessToken,
        UserAttributes: [{ Name: 'email', Value: next }],
      }),
    );
    expect(answer.CodeDeliveryDetailsList).toEqual([]);
    expect(messagesTo(next)).toHaveLength(0);
    expect(await flows(served, manual).attributes(tokens.AccessToken)).toMatchObject({
      email: next,
      email_verified: 'false',
    });
  });
});
