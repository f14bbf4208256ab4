/**
 * The custom resource that puts Secrets Manager's client secret on the app client (lambdas/secret/install-handler.ts):
 * it installs at creation, and again only when an update names another pool, client or secret, so that a later
 * deploy never overwrites a rotated value (ROUND2, "Client secret"). It answers CloudFormation at its ResponseURL
 * with ids only, never the secret.
 */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { handler } from '../../lambdas/secret/install-handler';

Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
});

const SECRET = 'stored-client-secret-value-0123456789abcdefghij';
const RESPONSE_URL = 'https://cloudformation-custom-resource-response.example/answer?signature=x';
const properties = {
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:install',
  UserPoolId: 'us-east-1_Pool1',
  ClientId: 'client1',
  SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:client-secret',
};
const base = {
  ServiceToken: properties.ServiceToken,
  ResponseURL: RESPONSE_URL,
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/bff/1',
  RequestId: 'request-1',
  LogicalResourceId: 'ClientSecretInstall',
  ResourceType: 'Custom::ClientSecret',
  ResourceProperties: properties,
};
const create = { ...base, RequestType: 'Create' } as CloudFormationCustomResourceEvent;
const update = (old: object) =>
  ({
    ...base,
    RequestType: 'Update',
    PhysicalResourceId: 'client1/client-secret',
    OldResourceProperties: { ...properties, ...old },
  }) as CloudFormationCustomResourceEvent;
const remove = {
  ...base,
  RequestType: 'Delete',
  PhysicalResourceId: 'client1/client-secret',
} as CloudFormationCustomResourceEvent;

const cognito = mockClient(sdk.CognitoIdentityProviderClient);
/** What reached Secrets Manager (operation and body) and CloudFormation (the answer), in order. */
let secretsManager: { operation: string; body: Record<string, unknown> }[];
let answers: { method: string; body: Record<string, unknown>; text: string }[];
/** What Secrets Manager holds: the value alone until the installer has put it on the client. */
let stored: { clientSecret: string; clientSecretId?: string };

beforeEach(() => {
  cognito.reset();
  secretsManager = [];
  answers = [];
  stored = { clientSecret: SECRET };
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (uri, init) => {
    const url = String(uri instanceof Request ? uri.url : uri);
    const text = String(init?.body ?? '');
    if (url === RESPONSE_URL) {
      answers.push({ method: String(init?.method), body: JSON.parse(text) as Record<string, unknown>, text });
      return new Response('');
    }
    const headers = new Headers(init?.headers as HeadersInit);
    const operation = (headers.get('x-amz-target') ?? '').replace('secretsmanager.', '');
    secretsManager.push({ operation, body: JSON.parse(text) as Record<string, unknown> });
    if (operation === 'GetSecretValue') {
      return new Response(JSON.stringify({ SecretString: JSON.stringify(stored) }));
    }
    return new Response('{}');
  });
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('the client secret installer', () => {
  it('installs the stored secret at creation, keeps its Cognito id beside it, and answers with ids only', async () => {
    cognito
      .on(sdk.AddUserPoolClientSecretCommand)
      .resolves({ ClientSecretDescriptor: { ClientSecretId: 'secret-id-2' } });
    await handler(create);
    expect(cognito).toHaveReceivedCommandWith(sdk.AddUserPoolClientSecretCommand, {
      UserPoolId: properties.UserPoolId,
      ClientId: properties.ClientId,
      ClientSecret: SECRET,
    });
    expect(secretsManager.map((c) => c.operation)).toEqual(['GetSecretValue', 'PutSecretValue']);
    expect(JSON.parse(String(secretsManager[1]?.body.SecretString))).toEqual({
      clientSecret: SECRET,
      clientSecretId: 'secret-id-2',
    });
    expect(answers).toHaveLength(1);
    expect(answers[0]?.method).toBe('PUT');
    expect(answers[0]?.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'client1/client-secret',
      RequestId: 'request-1',
      LogicalResourceId: 'ClientSecretInstall',
      NoEcho: true,
    });
    expect(answers[0]?.text).not.toContain(SECRET);
  });

  it('does not install again when the stored secret is already live (a retried creation)', async () => {
    stored = { clientSecret: SECRET, clientSecretId: 'secret-id-2' };
    cognito.on(sdk.ListUserPoolClientSecretsCommand).resolves({
      ClientSecrets: [{ ClientSecretId: 'secret-id-1' }, { ClientSecretId: 'secret-id-2' }],
    });
    await handler(create);
    expect(cognito.commandCalls(sdk.AddUserPoolClientSecretCommand)).toHaveLength(0);
    expect(secretsManager.map((c) => c.operation)).toEqual(['GetSecretValue']);
    expect(answers[0]?.body.Status).toBe('SUCCESS');
  });

  it('never touches the secret on an update that names the same pool, client and secret (a later deploy)', async () => {
    await handler(update({}));
    expect(cognito.calls()).toHaveLength(0);
    expect(secretsManager).toEqual([]);
    expect(answers[0]?.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'client1/client-secret' });
  });

  it('installs again on an update that names another client', async () => {
    cognito
      .on(sdk.AddUserPoolClientSecretCommand)
      .resolves({ ClientSecretDescriptor: { ClientSecretId: 'secret-id-3' } });
    await handler(update({ ClientId: 'client0' }));
    expect(cognito.commandCalls(sdk.AddUserPoolClientSecretCommand)).toHaveLength(1);
    expect(answers[0]?.body.Status).toBe('SUCCESS');
  });

  it('does nothing on delete: the secrets end with their client and their Secrets Manager secret', async () => {
    await handler(remove);
    expect(cognito.calls()).toHaveLength(0);
    expect(secretsManager).toEqual([]);
    expect(answers[0]?.body.Status).toBe('SUCCESS');
  });

  it('answers FAILED with the error name only when Cognito refuses', async () => {
    cognito
      .on(sdk.AddUserPoolClientSecretCommand)
      .rejects(new sdk.LimitExceededException({ message: `two secrets already: ${SECRET}`, $metadata: {} }));
    await handler(create);
    expect(answers[0]?.body).toMatchObject({
      Status: 'FAILED',
      Reason: 'Installing the client secret failed: LimitExceededException',
    });
    expect(answers[0]?.text).not.toContain(SECRET);
  });
});
