/**
 * AWS SDK clients, built once per container. The endpoint variables are set only by the local
 * stack (npm start); in AWS the regional endpoints are used. Timeouts keep every call inside
 * the caller's own budget (API Gateway 29 s, Cognito triggers 5 s).
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

export interface Timeouts {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly maxAttempts: number;
}

export const cognitoClient = (t: Timeouts) =>
  new CognitoIdentityProviderClient({
    ...(process.env.COGNITO_ENDPOINT ? { endpoint: process.env.COGNITO_ENDPOINT } : {}),
    maxAttempts: t.maxAttempts,
    requestHandler: { connectionTimeout: t.connectionTimeout, requestTimeout: t.requestTimeout },
  });
