/**
 * Password history and feature-plan gating in the local Cognito, through the real SDK, as documented:
 * - PasswordHistorySize: "Users can't set a password that matches any of n previous passwords ... To activate
 *   this setting, your user pool must be in the Essentials tier or higher" (API_PasswordPolicyType);
 * - PasswordHistoryPolicyViolationException on ChangePassword, ConfirmForgotPassword, RespondToAuthChallenge and
 *   AdminSetUserPassword (their API pages, cited per test with apiRef);
 * - FeatureUnavailableInTierException where a setting the plan lacks is configured (CreateUserPool,
 *   UpdateUserPool, CreateUserPoolClient, UpdateUserPoolClient), per
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  NEW_PASSWORD,
  PASSWORD,
  type Served,
  apiRef,
  createPool,
  errorOf,
  flows,
  sdk,
  serveCognito,
  uniqueEmail,
} from './harness';

const THIRD_PASSWORD = 'Th1rd-Password-Here!';
const policy = (size: number) => ({
  Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: size } },
});

let served: Served;
beforeAll(async () => {
  served = await serveCognito();
});
afterAll(() => served.stop());

describe('password history (PasswordHistorySize 2)', () => {
  let pool: Awaited<ReturnType<typeof createPool>>;
  let f: ReturnType<typeof flows>;
  beforeAll(async () => {
    pool = await createPool(served, policy(2));
    f = flows(served, pool);
  });

  const change = (accessToken: string | undefined, previous: string, proposed: string) =>
    served.send(
      new sdk.ChangePasswordCommand({
        AccessToken: accessToken,
        PreviousPassword: previous,
        ProposedPassword: proposed,
      }),
    );
  const adminSet = (username: string, password: string, permanent = true) =>
    served.send(
      new sdk.AdminSetUserPasswordCommand({
        UserPoolId: pool.poolId,
        Username: username,
        Password: password,
        Permanent: permanent,
      }),
    );

  it(`ChangePassword refuses the current and the previous password, not an older one (${apiRef('ChangePassword')})`, async () => {
    const email = uniqueEmail('history-change');
    const tokens = await f.confirmed(email);
    expect(await errorOf(change(tokens.AccessToken, PASSWORD, PASSWORD))).toBe(
      'PasswordHistoryPolicyViolationException',
    );
    await change(tokens.AccessToken, PASSWORD, NEW_PASSWORD);
    expect(await errorOf(change(tokens.AccessToken, NEW_PASSWORD, PASSWORD))).toBe(
      'PasswordHistoryPolicyViolationException',
    );
    await change(tokens.AccessToken, NEW_PASSWORD, THIRD_PASSWORD);
    // Two passwords are remembered: PASSWORD is now the third most recent, so it may come back.
    await change(tokens.AccessToken, THIRD_PASSWORD, PASSWORD);
    expect((await f.tokens(email, PASSWORD)).AccessToken).toBeTruthy();
  });

  it(`ConfirmForgotPassword refuses a recent password and leaves the code usable (${apiRef('ConfirmForgotPassword')})`, async () => {
    const email = uniqueEmail('history-reset');
    await f.confirmed(email);
    await f.forgot(email);
    const code = f.lastCode(email);
    expect(await errorOf(f.confirmForgot(email, code, PASSWORD))).toBe('PasswordHistoryPolicyViolationException');
    await f.confirmForgot(email, code, NEW_PASSWORD);
    expect((await f.tokens(email, NEW_PASSWORD)).AccessToken).toBeTruthy();
  });

  it(`AdminSetUserPassword refuses a recent password (${apiRef('AdminSetUserPassword')})`, async () => {
    const email = uniqueEmail('history-admin');
    await f.confirmed(email);
    expect(await errorOf(adminSet(email, PASSWORD))).toBe('PasswordHistoryPolicyViolationException');
    await adminSet(email, NEW_PASSWORD);
    expect(await errorOf(adminSet(email, PASSWORD))).toBe('PasswordHistoryPolicyViolationException');
    expect((await f.tokens(email, NEW_PASSWORD)).AccessToken).toBeTruthy();
  });

  it(`RespondToAuthChallenge NEW_PASSWORD_REQUIRED refuses the temporary password (${apiRef('RespondToAuthChallenge')})`, async () => {
    const email = uniqueEmail('history-challenge');
    await f.invite(email);
    const started = await f.signIn(email, PASSWORD);
    expect(started.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const respond = (password: string) =>
      served.send(
        new sdk.RespondToAuthChallengeCommand({
          ClientId: pool.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: started.Session,
          ChallengeResponses: { USERNAME: started.ChallengeParameters.USER_ID_FOR_SRP, NEW_PASSWORD: password },
        }),
      );
    expect(await errorOf(respond(PASSWORD))).toBe('PasswordHistoryPolicyViolationException');
    expect((await respond(NEW_PASSWORD)).AuthenticationResult.AccessToken).toBeTruthy();
  });

  it('is shown by DescribeUserPool with the plan (Essentials by default)', async () => {
    const described = await served.send(new sdk.DescribeUserPoolCommand({ UserPoolId: pool.poolId }));
    expect(described.UserPool.Policies.PasswordPolicy.PasswordHistorySize).toBe(2);
    expect(described.UserPool.UserPoolTier).toBe('ESSENTIALS');
  });
});

describe('without password history (PasswordHistorySize 0, the default)', () => {
  it('lets a user set the same password again', async () => {
    const pool = await createPool(served);
    const f = flows(served, pool);
    const email = uniqueEmail('no-history');
    const tokens = await f.confirmed(email);
    await served.send(
      new sdk.ChangePasswordCommand({
        AccessToken: tokens.AccessToken,
        PreviousPassword: PASSWORD,
        ProposedPassword: PASSWORD,
      }),
    );
    const described = await served.send(new sdk.DescribeUserPoolCommand({ UserPoolId: pool.poolId }));
    expect(described.UserPool.Policies.PasswordPolicy.PasswordHistorySize).toBeUndefined();
  });
});

describe('feature plans (FeatureUnavailableInTierException)', () => {
  const createPoolCall = (input: Partial<sdk.CreateUserPoolCommandInput>) =>
    served.send(new sdk.CreateUserPoolCommand({ PoolName: 'tiers', ...input }));

  it(`Lite has no password history: CreateUserPool and UpdateUserPool refuse it (${apiRef('CreateUserPool')})`, async () => {
    expect(await errorOf(createPoolCall({ UserPoolTier: 'LITE', ...policy(3) }))).toBe(
      'FeatureUnavailableInTierException',
    );
    const lite = await createPoolCall({ UserPoolTier: 'LITE' });
    const id = lite.UserPool.Id;
    expect(await errorOf(served.send(new sdk.UpdateUserPoolCommand({ UserPoolId: id, ...policy(3) })))).toBe(
      'FeatureUnavailableInTierException',
    );
    // Moving to Essentials in the same call makes it available.
    await served.send(new sdk.UpdateUserPoolCommand({ UserPoolId: id, UserPoolTier: 'ESSENTIALS', ...policy(3) }));
    expect((await createPoolCall({ UserPoolTier: 'ESSENTIALS', ...policy(3) })).UserPool.UserPoolTier).toBe(
      'ESSENTIALS',
    );
  });

  it(`Lite has no refresh-token rotation: CreateUserPoolClient and UpdateUserPoolClient refuse it (${apiRef('CreateUserPoolClient')})`, async () => {
    const lite = await createPoolCall({ UserPoolTier: 'LITE' });
    const UserPoolId = lite.UserPool.Id;
    const RefreshTokenRotation = { Feature: 'ENABLED' as const, RetryGracePeriodSeconds: 10 };
    expect(
      await errorOf(
        served.send(new sdk.CreateUserPoolClientCommand({ UserPoolId, ClientName: 'c', RefreshTokenRotation })),
      ),
    ).toBe('FeatureUnavailableInTierException');
    const plain = await served.send(new sdk.CreateUserPoolClientCommand({ UserPoolId, ClientName: 'c' }));
    const ClientId = plain.UserPoolClient.ClientId;
    expect(
      await errorOf(served.send(new sdk.UpdateUserPoolClientCommand({ UserPoolId, ClientId, RefreshTokenRotation }))),
    ).toBe('FeatureUnavailableInTierException');
    const essentials = await createPoolCall({});
    await served.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: essentials.UserPool.Id,
        ClientName: 'c',
        RefreshTokenRotation,
      }),
    );
  });

  it('threat protection needs Plus', async () => {
    const addOns = { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' as const } };
    expect(await errorOf(createPoolCall({ UserPoolTier: 'ESSENTIALS', ...addOns }))).toBe(
      'FeatureUnavailableInTierException',
    );
    const plus = await createPoolCall({ UserPoolTier: 'PLUS', ...addOns });
    expect(plus.UserPool.UserPoolAddOns.AdvancedSecurityMode).toBe('ENFORCED');
  });
});
