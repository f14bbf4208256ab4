/**
 * GET /auth/password-policy: the configured policy, from the function's settings (configuration contract),
 * every field of it, with no Cognito call and no credentials.
 */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, expect, it } from '@jest/globals';
import { apiEvent, invoke } from '../support/events';
import { openApiDocument } from '../../lambdas/openapi';
import { routes } from '../../lambdas/routes';
import { toEnvironment } from '../../lambdas/shared/config';
import { type Settings, defaultSettings } from '../../lambdas/shared/settings';
import { create } from '../../lambdas/auth/password-policy';

const IDS = { userPoolId: 'us-east-1_TestPool1', clientId: 'testclientid0123456789abcd' };
const cognito = mockClient(sdk.CognitoIdentityProviderClient);

afterEach(() => {
  cognito.reset();
});

const handlerWith = (passwordPolicy: Record<string, number | boolean>) =>
  create(
    toEnvironment(
      'api',
      { ...defaultSettings, allowedOrigins: ['http://localhost:3000'], passwordPolicy } as Settings,
      IDS,
    ),
  );

it('answers the configured policy, not a built-in one, without credentials or a Cognito call', async () => {
  const policy = {
    minLength: 17,
    requireLowercase: false,
    requireUppercase: true,
    requireDigits: false,
    requireSymbols: true,
    tempPasswordValidityDays: 3,
  };
  const answer = await invoke(handlerWith(policy), apiEvent({ method: 'GET', path: '/auth/password-policy' }));
  expect(answer.statusCode).toBe(200);
  expect(answer.json).toEqual(policy);
  expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  expect(cognito.calls()).toHaveLength(0);
});

it('serves a field the setting gains later (passwordHistorySize) with no change to the route', async () => {
  const policy = { ...defaultSettings.passwordPolicy, passwordHistorySize: 5 };
  const answer = await invoke(handlerWith(policy), apiEvent({ method: 'GET', path: '/auth/password-policy' }));
  expect(answer.json).toEqual(policy);
});

it('is documented as a public GET whose answer names every field of the policy setting', () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, any>> };
  const operation = doc.paths['/auth/password-policy']?.get;
  expect(operation.operationId).toBe('passwordPolicy');
  expect(operation.security).toBeUndefined();
  expect(operation['x-cognito-operation']).toBeUndefined();
  const schema = operation.responses['200'].content['application/json'].schema;
  expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(defaultSettings.passwordPolicy).sort());
  expect(schema.additionalProperties).toBeTruthy();
  expect(routes.passwordPolicy).toMatchObject({ auth: 'none', actions: [] });
});
