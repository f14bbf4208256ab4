/**
 * The wire as Cognito speaks it (AWS JSON 1.1): every answer carries a request id, a mistyped member
 * is a SerializationException, a value the API model forbids is an InvalidParameterException in
 * Cognito's "N validation errors detected" words, checked before anything else (so never a
 * misleading ResourceNotFoundException). Constraints per operation: the Request Parameters of
 * each API reference page, e.g. https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPools.html
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Pool, type Served, createPool, failure, sdk, serveCognito } from './harness';

let served: Served;
let pool: Pool;

beforeAll(async () => {
  served = await serveCognito();
  pool = await createPool(served);
});

afterAll(() => served?.stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A request as any client could send it, bypassing the SDK's serializer. */
async function raw(operation: string, body: string) {
  const response = await fetch(served.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe('x-amzn-RequestId', () => {
  it('is on every answer: a success, an error, an unknown operation and a malformed body', async () => {
    const ok = await served.send(new sdk.DescribeUserPoolCommand({ UserPoolId: pool.poolId }));
    expect(ok.$metadata.requestId).toMatch(UUID);
    const error = (await failure(
      served.send(new sdk.AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'nobody@example.com' })),
    )) as sdk.UserNotFoundException;
    expect(error.name).toBe('UserNotFoundException');
    expect(error.$metadata.requestId).toMatch(UUID);
    const unknown = await raw('NoSuchOperation', '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-requestid')).toMatch(UUID);
    const malformed = await raw('DescribeUserPool', '{"UserPoolId":');
    expect(malformed.body.__type).toBe('SerializationException');
    expect(malformed.headers.get('x-amzn-requestid')).toMatch(UUID);
    expect(malformed.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });

  it('is new for every request', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) {
      ids.add((await served.send(new sdk.DescribeUserPoolCommand({ UserPoolId: pool.poolId }))).$metadata.requestId);
    }
    expect(ids.size).toBe(3);
  });
});

describe('a member of the wrong JSON type', () => {
  it.each([
    ['a number for a string', 'AdminGetUser', () => ({ UserPoolId: 5, Username: 'a@example.com' }), 'NUMBER_VALUE'],
    ['a string for an integer', 'ListUserPools', () => ({ MaxResults: 'ten' }), 'STRING_VALUE'],
    [
      'a string for a list',
      'AdminCreateUser',
      () => ({ UserPoolId: pool.poolId, Username: 'x@example.com', UserAttributes: 'email' }),
      'STRING_VALUE',
    ],
    ['an object for a string', 'DescribeUserPool', () => ({ UserPoolId: { id: pool.poolId } }), 'START_OBJECT'],
    [
      'a string for a boolean',
      'AdminSetUserPassword',
      () => ({ UserPoolId: pool.poolId, Username: 'x@example.com', Password: 'Aa1!aaaaaaaa', Permanent: 'true' }),
      'STRING_VALUE',
    ],
    [
      'a number in a map of strings',
      'SignUp',
      () => ({
        ClientId: pool.clientId,
        Username: 'x@example.com',
        Password: 'Aa1!aaaaaaaa',
        ClientMetadata: { n: 1 },
      }),
      'NUMBER_VALUE',
    ],
  ])('is a SerializationException (%s), not what the value would mean', async (_, operation, input, kind) => {
    const answer = await raw(operation, JSON.stringify(input()));
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe('SerializationException');
    expect(answer.body.message).toContain(`${kind} can not be converted`);
  });

  it('is refused through the real SDK too, before any user pool is looked up', async () => {
    const error = await failure(
      served.send(new sdk.AdminGetUserCommand({ UserPoolId: 5 as never, Username: 'a@example.com' })),
    );
    expect(error?.name).toBe('SerializationException');
  });
});

describe('a value the model forbids', () => {
  it('is an InvalidParameterException naming the member, not a ResourceNotFoundException', async () => {
    const missing = await failure(served.send(new sdk.AdminGetUserCommand({ Username: 'a@example.com' } as never)));
    expect(missing?.name).toBe('InvalidParameterException');
    expect(missing?.message).toBe(
      "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null",
    );
    const malformed = await failure(served.send(new sdk.DescribeUserPoolCommand({ UserPoolId: 'no-underscore' })));
    expect(malformed?.name).toBe('InvalidParameterException');
    expect(malformed?.message).toContain(
      "Value 'no-underscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern",
    );
  });

  it('lists every violation of the request together', async () => {
    const error = await failure(
      served.send(
        new sdk.AdminCreateUserCommand({
          UserPoolId: pool.poolId,
          Username: 'invitee@example.com',
          MessageAction: 'SHOUT' as never,
          UserAttributes: [{ Name: '', Value: 'x' }],
        }),
      ),
    );
    expect(error?.name).toBe('InvalidParameterException');
    expect(error?.message).toMatch(/^2 validation errors detected: /);
    expect(error?.message).toContain(
      "Value 'SHOUT' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]",
    );
    expect(error?.message).toContain(
      "at 'userAttributes.1.member.name' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('checks ranges: MaxResults of ListUserPools is 1 to 60', async () => {
    for (const MaxResults of [0, 61]) {
      const error = await failure(served.send(new sdk.ListUserPoolsCommand({ MaxResults })));
      expect(error?.name).toBe('InvalidParameterException');
      expect(error?.message).toContain(`Value '${MaxResults}' at 'maxResults' failed to satisfy constraint`);
    }
  });

  it('never repeats a sensitive value (username, password, token) in the message', async () => {
    const username = 'has spaces@example.com';
    const password = ' leading-space-Passw0rd!';
    const error = await failure(
      served.send(new sdk.SignUpCommand({ ClientId: pool.clientId, Username: username, Password: password })),
    );
    expect(error?.name).toBe('InvalidParameterException');
    expect(error?.message).toMatch(/^2 validation errors detected: /);
    expect(error?.message).toContain("Value at 'username' failed to satisfy constraint");
    expect(error?.message).toContain("Value at 'password' failed to satisfy constraint");
    expect(error?.message).not.toContain('has spaces');
    expect(error?.message).not.toContain('leading-space');
  });

  it('allows a space inside a password, as Cognito does, and not at either end', async () => {
    const inside = await failure(
      served.send(
        new sdk.SignUpCommand({ ClientId: pool.clientId, Username: 'spaced@example.com', Password: 'Corr3ct Horse!' }),
      ),
    );
    expect(inside).toBeUndefined();
    const trailing = await failure(
      served.send(
        new sdk.SignUpCommand({
          ClientId: pool.clientId,
          Username: 'trailing@example.com',
          Password: 'Corr3ct-Horse! ',
        }),
      ),
    );
    expect(trailing?.name).toBe('InvalidParameterException');
  });
});
