/**
 * The runbook "Rotate the client secret" (scripts/secret.ts) against the local stack while a load of sign-ins
 * runs: with two live secrets in Cognito during the rotation, and functions that read the secret with a
 * bounded-age cache and read it again after a refused SecretHash, no request fails. Afterwards Cognito refuses
 * the old secret, and the functions sign with the new one.
 */
import { createHmac } from 'node:crypto';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { PASSWORD, type RunningStack, client, removeDir, startStack, uniqueEmail } from '../support/stack';
import { run } from '../../scripts/secret';

/** Short, so that the rotation waits a few seconds; the functions' cache expires during the load. */
const MAX_AGE_SECONDS = 2;
let stack: RunningStack;
beforeAll(async () => {
  stack = await startStack({
    args: ['-c', `bff:clientSecretMaxAgeSeconds=${MAX_AGE_SECONDS}`, '-c', 'bff:responseFloorMs=0'],
  });
}, 120_000);

afterAll(async () => {
  if (!stack) return;
  await stack.stop();
  removeDir(stack.dataDir);
});

const localConfig = async () => (await client(stack.url).call('GET', '/_local/config')).body as Record<string, string>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('rotates the secret while sign-ins run, and none of them fails', async () => {
  const bff = client(stack.url);
  const before = await localConfig();
  const cognito = new sdk.CognitoIdentityProviderClient({
    endpoint: before.cognitoEndpoint,
    region: before.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // One user per worker: Cognito limits each user's own request rate.
  const users = await Promise.all(
    [1, 2, 3, 4].map(async (n) => {
      const username = uniqueEmail(`rotation${n}`);
      const target = { UserPoolId: before.userPoolId, Username: username };
      await cognito.send(new sdk.AdminCreateUserCommand({ ...target, MessageAction: 'SUPPRESS' }));
      await cognito.send(new sdk.AdminSetUserPasswordCommand({ ...target, Password: PASSWORD, Permanent: true }));
      return username;
    }),
  );
  const failures: string[] = [];
  let signIns = 0;
  let rotating = true;
  const worker = async (username: string) => {
    // Until the rotation ends, and a few more, so that sign-ins run with the old, both, and the new secret.
    for (let n = 0; rotating || n < 3; n++) {
      const answer = await bff.call('POST', '/auth/sign-in', { username, password: PASSWORD });
      signIns += 1;
      if (answer.status !== 200) failures.push(`${answer.status} ${JSON.stringify(answer.body)}`);
      await sleep(150);
    }
  };
  const lines: string[] = [];
  const errors: string[] = [];
  const load = Promise.all(users.map(worker));
  const exit = await run(
    ['rotate', '--local', stack.url, '--wait-seconds', String(MAX_AGE_SECONDS + 2)],
    (line) => lines.push(line),
    (line) => errors.push(line),
  );
  rotating = false;
  await load;
  expect(errors).toEqual([]);
  expect(exit).toBe(0);
  expect(lines.join('\n')).toContain('the rotation is done');
  expect(signIns).toBeGreaterThan(8);
  expect(failures).toEqual([]);

  // Secrets Manager holds a new secret; Cognito accepts it, and only it.
  const after = await localConfig();
  expect(after.clientSecret).not.toBe(before.clientSecret);
  const { ClientSecrets } = await cognito.send(
    new sdk.ListUserPoolClientSecretsCommand({ UserPoolId: before.userPoolId, ClientId: before.clientId }),
  );
  expect(ClientSecrets).toHaveLength(1);
  const signInWith = (secret: string) =>
    cognito.send(
      new sdk.InitiateAuthCommand({
        ClientId: before.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: users[0] ?? '',
          PASSWORD,
          SECRET_HASH: createHmac('sha256', secret)
            .update((users[0] ?? '') + before.clientId)
            .digest('base64'),
        },
      }),
    );
  await expect(signInWith(before.clientSecret ?? '')).rejects.toThrow('Unable to verify secret hash');
  expect((await signInWith(after.clientSecret ?? '')).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  // The rotation never prints a secret.
  for (const secret of [before.clientSecret, after.clientSecret]) {
    expect(lines.join('\n')).not.toContain(secret);
    expect(stack.output()).not.toContain(secret);
  }
}, 180_000);
