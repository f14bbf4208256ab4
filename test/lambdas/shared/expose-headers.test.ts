/**
 * A browser reads only the response headers CORS exposes: Retry-After must be among them on the
 * functions' answers, as on the gateway's own (issue #15, item 6).
 */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { apiEvent, invoke } from '../../support/events';
import { CLIENT_SECRET_ID, serveClientSecret } from '../../support/secrets-manager';
import { toEnvironment } from '../../../lambdas/shared/config';
import { defaultSettings } from '../../../lambdas/shared/settings';

const env = toEnvironment(
  'session',
  { ...defaultSettings, allowedOrigins: ['http://localhost:3000'] },
  {
    userPoolId: 'us-east-1_TestPool1',
    clientId: 'testclientid0123456789abcd',
    sessionKeySecretId: 'session-key',
    clientSecretId: CLIENT_SECRET_ID,
  },
);
const cognito = mockClient(sdk.CognitoIdentityProviderClient);

beforeAll(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  serveClientSecret(() => 'a-client-secret');
});
afterAll(() => {
  jest.restoreAllMocks();
});

async function signUp() {
  const module = (await import('../../../lambdas/auth/sign-up')) as { create: (e: Record<string, string>) => unknown };
  const handler = module.create(env);
  return invoke(
    handler,
    apiEvent({
      method: 'POST',
      path: '/auth/sign-up',
      body: { username: 'jane@example.com', password: 'Corr3ct-Horse!' },
    }),
  );
}

describe('CORS on the functions answers', () => {
  it('exposes Retry-After on a 429, so that a browser can read the wait', async () => {
    cognito.reset();
    cognito
      .on(sdk.SignUpCommand)
      .rejects(new sdk.TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const answer = await signUp();
    expect(answer.statusCode).toBe(429);
    expect(answer.headers['retry-after']).toMatch(/^\d+$/);
    expect(answer.headers['access-control-expose-headers']?.split(/,\s*/)).toContain('Retry-After');
    // The allowlisted origin of the event, echoed exactly, with credentials (cookie sessions).
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
  });

  it('exposes it on every other answer too', async () => {
    cognito.reset();
    cognito.on(sdk.SignUpCommand).resolves({ UserSub: 'user-1', UserConfirmed: false });
    const answer = await signUp();
    expect(answer.statusCode).toBe(201);
    expect(answer.headers['access-control-expose-headers']?.split(/,\s*/)).toContain('Retry-After');
  });
});
