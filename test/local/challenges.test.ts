/**
 * RespondToAuthChallenge takes the user's real username (USER_ID_FOR_SRP), not an alias, in
 * USERNAME and in the SECRET_HASH: "must be the user's actual username, not an alias"
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html);
 * a hash over the alias is "Unable to verify secret hash for client" (aws-amplify/aws-sdk-android#2265).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  NEW_PASSWORD,
  PASSWORD,
  type Pool,
  type Served,
  createPool,
  failure,
  flows,
  sdk,
  serveCognito,
  uniqueEmail,
} from './harness';

let served: Served;
let pool: Pool;

beforeAll(async () => {
  served = await serveCognito();
  // A confidential client, as the product's: every challenge answer needs a SECRET_HASH.
  pool = await createPool(served, {}, { GenerateSecret: true });
});

afterAll(() => served?.stop());

async function invitedChallenge() {
  const user = uniqueEmail('challenge');
  await flows(served, pool).invite(user);
  const challenge = await flows(served, pool).signIn(user, PASSWORD);
  expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  const realUsername: string = challenge.ChallengeParameters.USER_ID_FOR_SRP;
  expect(realUsername).toMatch(/^[0-9a-f-]{36}$/);
  const respond = (username: string, hashedName: string) =>
    served.send(
      new sdk.RespondToAuthChallengeCommand({
        ClientId: pool.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: {
          USERNAME: username,
          NEW_PASSWORD,
          SECRET_HASH: pool.secretHash(hashedName) ?? '',
        },
      }),
    );
  return { user, realUsername, respond };
}

describe('NEW_PASSWORD_REQUIRED', () => {
  it('refuses the email alias with a hash over it: "Unable to verify secret hash", nothing changes', async () => {
    const { user, respond } = await invitedChallenge();
    const refused = await failure(respond(user, user));
    expect(refused?.name).toBe('NotAuthorizedException');
    expect(refused?.message).toBe(`Unable to verify secret hash for client ${pool.clientId}`);
    expect((await flows(served, pool).adminGet(user)).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('refuses the email alias in USERNAME even with a hash over the real username', async () => {
    const { user, realUsername, respond } = await invitedChallenge();
    const refused = await failure(respond(user, realUsername));
    expect(refused?.name).toBe('NotAuthorizedException');
    // The hash was right; the name is what is refused.
    expect(refused?.message).not.toMatch(/secret hash/i);
    expect((await flows(served, pool).adminGet(user)).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('accepts USER_ID_FOR_SRP in USERNAME and in the hash, and signs the user in', async () => {
    const { user, realUsername, respond } = await invitedChallenge();
    const answer = await respond(realUsername, realUsername);
    expect(answer.AuthenticationResult.AccessToken).toEqual(expect.any(String));
    expect((await flows(served, pool).adminGet(user)).UserStatus).toBe('CONFIRMED');
    expect((await flows(served, pool).tokens(user, NEW_PASSWORD)).AccessToken).toEqual(expect.any(String));
  });
});
