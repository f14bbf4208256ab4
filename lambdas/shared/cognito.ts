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
 * A Cognito call that runs a trigger can last three trigger attempts: "your Lambda function must respond
 * within 5 seconds. If it does not, Amazon Cognito retries the call. After 3 unsuccessful attempts, the
 * function times out" (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-identity-pools-working-with-aws-lambda-triggers.html).
 * So a call gets 17 s (3 x 5 s and Cognito's own work) and is never replayed after it may have been
 * processed (aws.ts); throttled calls are retried, and all of it fits the function's 25 s timeout, inside
 * API Gateway's 29 s.
 */
export const BFF_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 17_000, maxAttempts: 3 } as const;

export interface ApiDeps {
  readonly config: ApiConfig;
  readonly cognito: CognitoIdentityProviderClient;
  /** SecretHash = Base64(HMAC-SHA256(clientSecret, username + clientId)). */
  readonly secretHash: (username: string) => Promise<string>;
  /** The app client's secret itself, for the operations that take it (GetTokensFromRefreshToken). */
  readonly clientSecret: () => Promise<string>;
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
  return { config, cognito, secretHash, clientSecret };
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

/**
 * The delivery a code request answers with, computed from the (normalized) username alone, never from
 * Cognito's answer: a real, an unknown and an invited user get the same `a***@e***` (Cognito's mask), and so do
 * `Alice@Example.com` and `alice@example.com`. The pool signs in with email, so the code always goes by email.
 */
export function maskedDelivery(username: string): CodeDelivery {
  const at = username.lastIndexOf('@');
  const first = (text: string) => Array.from(text)[0] ?? '';
  const local = at < 0 ? username : username.slice(0, at);
  const domain = at < 0 ? '' : username.slice(at + 1);
  return { destination: `${first(local)}***@${first(domain) || 'e'}***`, medium: 'EMAIL', attribute: 'email' };
}
