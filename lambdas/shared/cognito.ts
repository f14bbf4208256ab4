/**
 * What a BFF route's logic works with: its configuration, its own Cognito client and the
 * SecretHash of its app client. Built once per function instance by the HTTP chain. The app
 * client secret is fetched with DescribeUserPoolClient on first need and cached; it is never
 * logged nor put in an environment variable.
 */
import { createHmac } from 'node:crypto';
import {
  type CodeDeliveryDetailsType,
  type CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient } from './aws';
import type { ApiConfig } from './config';
import { InternalError } from './problem';

/**
 * Cognito may wait 5 s on a trigger before it answers, so a call is given 6.5 s; two attempts
 * (throttling, transient faults) fit in the function's 15 s timeout.
 */
export const BFF_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 6500, maxAttempts: 2 } as const;

export interface ApiDeps {
  readonly config: ApiConfig;
  readonly cognito: CognitoIdentityProviderClient;
  /** SecretHash = Base64(HMAC-SHA256(clientSecret, username + clientId)). */
  readonly secretHash: (username: string) => Promise<string>;
}

export function apiDeps(config: ApiConfig): ApiDeps {
  const cognito = cognitoClient(BFF_TIMEOUTS, config.cognitoEndpoint);
  let secret: Promise<string> | undefined;
  const clientSecret = (): Promise<string> => {
    secret ??= cognito
      .send(new DescribeUserPoolClientCommand({ UserPoolId: config.userPoolId, ClientId: config.clientId }))
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
  };
  const secretHash = async (username: string) =>
    createHmac('sha256', await clientSecret())
      .update(username + config.clientId)
      .digest('base64');
  return { config, cognito, secretHash };
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
