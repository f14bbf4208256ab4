/**
 * A browser reads only the response headers CORS exposes: Retry-After must be among them on the
 * functions' answers, as on the gateway's own (issue #15, item 6).
 */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { apiEvent, invoke } from '../../support/events';
import { toEnvironment } from '../../../lambdas/shared/config';
import { defaultSettings } from '../../../lambdas/shared/settings';

const env = toEnvironment(
  'api',
  { ...defaultSettings, allowedOrigins: ['http://localhost:3000'] },
  { userPoolId: 'us-east-1_TestPool1', clientId: 'testclientid0123456789abcd' },
);
const cognito = mockClient(sdk.CognitoIdentityProviderClient);
const claims = { sub: 'user-1', token_use: 'access', scope: 'aws.cognito.signin.user.admin' };

beforeAll(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => {
  jest.restoreAllMocks();
});

async function getMe() {
  const module = (await import('../../../lambdas/me/get')) as { create: (e: Record<string, string>) => unknown };
  const handler = module.create(env);
  return invoke(handler, apiEvent({ method: 'GET', path: '/me', token: 'a.b.c', claims }));
}

describe('CORS on the functions answers', () => {
  it('exposes Retry-After on a 429, so that a browser can read the wait', async () => {
    cognito.reset();
    cognito
      .on(sdk.GetUserCommand)
      .rejects(new sdk.TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const answer = await getMe();
    expect(answer.statusCode).toBe(429);
    expect(answer.headers['retry-after']).toMatch(/^\d+$/);
    expect(answer.headers['access-control-expose-headers']?.split(/,\s*/)).toContain('Retry-After');
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('exposes it on every other answer too', async () => {
    cognito.reset();
    cognito.on(sdk.GetUserCommand).resolves({ Username: 'user-1', UserAttributes: [] });
    const answer = await getMe();
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['access-control-expose-headers']?.split(/,\s*/)).toContain('Retry-After');
  });
});
