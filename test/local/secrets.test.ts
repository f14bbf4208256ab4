/**
 * The local Secrets Manager (local/secrets.ts), the one emulation of it: the session key and the app client's
 * secret, GetSecretValue and PutSecretValue as the API answers them
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html,
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html).
 */
import { describe, expect, it } from '@jest/globals';
import { LOCAL_CLIENT_SECRET_ID, LOCAL_SESSION_KEY_SECRET_ID, LocalSecrets } from '../../local/secrets';

type Op = (input: Record<string, unknown>) => Promise<Record<string, unknown>>;
const ops = (local: LocalSecrets) => local.service.operations as Record<string, Op>;

describe('local Secrets Manager', () => {
  it('generates the session key and a client secret of ClientSecretType (24-64 word characters)', async () => {
    const local = new LocalSecrets();
    const key = await ops(local).GetSecretValue?.({ SecretId: LOCAL_SESSION_KEY_SECRET_ID });
    expect(String(key?.SecretString)).toHaveLength(64);
    const client = await ops(local).GetSecretValue?.({ SecretId: LOCAL_CLIENT_SECRET_ID });
    expect(JSON.parse(String(client?.SecretString))).toEqual({ clientSecret: expect.stringMatching(/^\w{52}$/) });
    expect(local.currentClientSecret()).toBe(JSON.parse(String(client?.SecretString)).clientSecret);
  });

  it('makes a PutSecretValue the current version, with a new VersionId', async () => {
    const local = new LocalSecrets();
    const before = await ops(local).GetSecretValue?.({ SecretId: LOCAL_CLIENT_SECRET_ID });
    const text = JSON.stringify({ clientSecret: 'A'.repeat(52), clientSecretId: 'c--1' });
    const put = await ops(local).PutSecretValue?.({ SecretId: LOCAL_CLIENT_SECRET_ID, SecretString: text });
    expect(put).toMatchObject({ Name: LOCAL_CLIENT_SECRET_ID, VersionStages: ['AWSCURRENT'] });
    const after = await ops(local).GetSecretValue?.({ SecretId: LOCAL_CLIENT_SECRET_ID });
    expect(after?.SecretString).toBe(text);
    expect(after?.VersionId).toBe(put?.VersionId);
    expect(after?.VersionId).not.toBe(before?.VersionId);
    expect(local.currentClientSecret()).toBe('A'.repeat(52));
  });

  it('answers an unknown secret with ResourceNotFoundException and an empty value with InvalidParameterException', async () => {
    const local = new LocalSecrets();
    await expect(ops(local).GetSecretValue?.({ SecretId: 'nope' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(ops(local).PutSecretValue?.({ SecretId: 'nope', SecretString: 'x' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      ops(local).PutSecretValue?.({ SecretId: LOCAL_CLIENT_SECRET_ID, SecretString: '' }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
