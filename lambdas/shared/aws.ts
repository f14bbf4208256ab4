/**
 * AWS SDK client options. A function builds its clients once, when it is created from its
 * configuration; the endpoints are set only by the local stack (npm start), in AWS the regional
 * endpoints are used. Timeouts keep every call inside the caller's own budget (API Gateway
 * 29 s, Cognito triggers 5 s).
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

export interface Timeouts {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly maxAttempts: number;
}

/**
 * Client options with timeouts that really end a call: without `throwOnRequestTimeout`, the
 * SDK's request timeout only logs a warning and the call hangs on.
 */
export const clientOptions = (t: Timeouts, endpoint: string | undefined) => ({
  ...(endpoint ? { endpoint } : {}),
  maxAttempts: t.maxAttempts,
  requestHandler: {
    connectionTimeout: t.connectionTimeout,
    requestTimeout: t.requestTimeout,
    throwOnRequestTimeout: true,
  },
});

export const cognitoClient = (t: Timeouts, endpoint: string | undefined) =>
  new CognitoIdentityProviderClient(clientOptions(t, endpoint));
