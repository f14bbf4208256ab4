/**
 * The Cognito client and the pool's identity, created once per container. The app client
 * secret is fetched with DescribeUserPoolClient on first need and cached; it is never logged
 * nor put in an environment variable.
 */
import { createHmac } from 'node:crypto';
import { type CodeDeliveryDetailsType, DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient } from './aws';
import { requiredEnv } from './env';
import { InternalError } from './problem';

export const userPoolId = requiredEnv('USER_POOL_ID');
export const clientId = requiredEnv('USER_POOL_CLIENT_ID');

/**
 * Cognito may wait 5 s on a trigger before it answers, so a call is given 6.5 s; two attempts
 * (throttling, transient faults) fit in the function's 15 s timeout.
 */
export const cognito = cognitoClient({ connectionTimeout: 1000, requestTimeout: 6500, maxAttempts: 2 });

let secret: Promise<string> | undefined;

function clientSecret(): Promise<string> {
  secret ??= cognito
    .send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }))
    .then((answer) => {
      const value = answer.UserPoolClient?.ClientSecret;
      if (!value) throw new InternalError();
      return value;
    })
    .catch((error: unknown) => {
      secret = undefined; // retry on the next request rather than caching a failure
      throw error;
    });
  return secret;
}

/** SecretHash = Base64(HMAC-SHA256(clientSecret, username + clientId)). */
export async function secretHash(username: string): Promise<string> {
  return createHmac('sha256', await clientSecret())
    .update(username + clientId)
    .digest('base64');
}

/** The caller as Cognito's threat protection should see it. */
export const userContextData = (request: { sourceIp: string; encodedData?: string }) => ({
  IpAddress: request.sourceIp,
  ...(request.encodedData ? { EncodedData: request.encodedData } : {}),
});

export interface CodeDelivery {
  readonly destination: string;
  readonly medium: string;
  readonly attribute: string;
}

export const toCodeDelivery = (details: CodeDeliveryDetailsType | undefined): CodeDelivery => ({
  destination: details?.Destination ?? '',
  medium: details?.DeliveryMedium ?? 'EMAIL',
  attribute: details?.AttributeName ?? 'email',
});

/** What an unknown user "receives", so the answer does not reveal that the user is unknown. */
export function simulatedDelivery(username: string): CodeDelivery {
  const [local = '', domain = ''] = username.split('@');
  return {
    destination: `${local.slice(0, 1)}***@${domain.slice(0, 1) || 'e'}***`,
    medium: 'EMAIL',
    attribute: 'email',
  };
}
