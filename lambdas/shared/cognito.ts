/**
 * What a BFF route's logic works with: its configuration, its own Cognito client and the
 * SecretHash of its app client. Built once per function instance by the HTTP chain. The app
 * client secret lives in Secrets Manager (its source of truth): read on first need (never at
 * cold start) with the shared secret reader, kept at most bff:clientSecretMaxAgeSeconds, and
 * read again at once when Cognito refuses it (a rotation). It is never logged nor put in an
 * environment variable.
 */
import { createHmac } from 'node:crypto';
import {
  type CodeDeliveryDetailsType,
  type CognitoIdentityProviderClient,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient } from './aws';
import type { ApiConfig } from './config';
import { InternalError } from './problem';
import { type SecretCache, cachedSecret } from './secret-reader';

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

/**
 * The text of the client secret's Secrets Manager secret: `{"clientSecret": "...", "clientSecretId": "..."}`.
 * `clientSecretId` is Cognito's id of that secret (AddUserPoolClientSecret's answer), which the rotation deletes
 * once the next one is in use (scripts/secret.ts); absent until the installer has put the value on the client.
 */
export interface StoredClientSecret {
  readonly clientSecret: string;
  readonly clientSecretId?: string;
}

/** The stored JSON; throws (without the text) when it is not that shape. */
export function parseStoredSecret(text: string | undefined): StoredClientSecret {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    // reported below, without the text
  }
  const stored = value as Partial<StoredClientSecret> | null | undefined;
  if (typeof stored?.clientSecret !== 'string' || stored.clientSecret.length === 0) {
    throw new InternalError({ cause: new Error('the client secret is malformed') });
  }
  return {
    clientSecret: stored.clientSecret,
    ...(typeof stored.clientSecretId === 'string' ? { clientSecretId: stored.clientSecretId } : {}),
  };
}

const hmac = (secret: string, username: string, clientId: string) =>
  createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64');

/** Cognito refused the SecretHash or the ClientSecret: the secret may have been rotated since it was read. */
export const isSecretRefusal = (error: unknown): boolean =>
  error instanceof NotAuthorizedException && /unable to verify secret/i.test(error.message);

type Input = Record<string, unknown>;

/**
 * The input with its SecretHash or ClientSecret computed again with `secret`, or undefined when it carries
 * neither: SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword (`SecretHash` over
 * `Username`), InitiateAuth (`AuthParameters`), RespondToAuthChallenge (`ChallengeResponses`: `SECRET_HASH` over
 * `USERNAME`), GetTokensFromRefreshToken and RevokeToken (`ClientSecret`).
 */
export function withSecret(input: Input, secret: string, clientId: string): Input | undefined {
  if (typeof input.SecretHash === 'string' && typeof input.Username === 'string') {
    return { ...input, SecretHash: hmac(secret, input.Username, clientId) };
  }
  if (typeof input.ClientSecret === 'string') return { ...input, ClientSecret: secret };
  for (const key of ['AuthParameters', 'ChallengeResponses']) {
    const params = input[key] as Record<string, string> | undefined;
    if (typeof params?.SECRET_HASH === 'string' && typeof params.USERNAME === 'string') {
      return { ...input, [key]: { ...params, SECRET_HASH: hmac(secret, params.USERNAME, clientId) } };
    }
  }
  return undefined;
}

/**
 * Makes this function's Cognito client answer a refused secret once more: it reads the secret again, bypassing
 * the cache, and sends the call again with the fresh value if it differs (a rotation deleted the one this
 * instance kept). Cognito checks the SecretHash before it acts, so the refused call did nothing and sending it
 * again is safe. A second refusal goes to the caller (502 ClientSecretRejected, cognito-errors.ts). The wrapper
 * is on this instance's `send` (not a middleware) so that it also holds under aws-sdk-client-mock in tests.
 */
function refetchOnRefusal(cognito: CognitoIdentityProviderClient, secret: SecretCache<string>, clientId: string) {
  const send = cognito.send.bind(cognito) as (command: { input: Input }) => Promise<unknown>;
  const retrying = async (command: { input: Input }) => {
    try {
      return await send(command);
    } catch (error) {
      if (!isSecretRefusal(error)) throw error;
      const input = withSecret(command.input, await secret.refresh(), clientId);
      if (!input || JSON.stringify(input) === JSON.stringify(command.input)) throw error;
      const Command = command.constructor as new (input: Input) => { input: Input };
      return send(new Command(input));
    }
  };
  (cognito as unknown as { send: typeof retrying }).send = retrying;
}

/** Locally and in tests a function may run without the secret (a route that computes no SecretHash). */
const noSecret: SecretCache<string> = {
  get: () => Promise.reject(new InternalError({ cause: new Error('CLIENT_SECRET_ID is not configured') })),
  refresh: () => Promise.reject(new InternalError({ cause: new Error('CLIENT_SECRET_ID is not configured') })),
};

export function apiDeps(config: ApiConfig): ApiDeps {
  const cognito = cognitoClient(BFF_TIMEOUTS, config.cognitoEndpoint);
  // Nothing is read here: the first SecretHash reads the secret (cold start stays free of it).
  const secret = config.clientSecretId
    ? cachedSecret(
        {
          secretId: config.clientSecretId,
          region: process.env.AWS_REGION ?? config.userPoolId.split('_')[0] ?? '',
          ...(config.secretsManagerEndpoint ? { endpoint: config.secretsManagerEndpoint } : {}),
          maxAgeMs: (config.clientSecretMaxAgeSeconds ?? 300) * 1000,
        },
        (text) => parseStoredSecret(text).clientSecret,
      )
    : noSecret;
  if (config.clientSecretId) refetchOnRefusal(cognito, secret, config.clientId);
  const clientSecret = () => secret.get();
  const secretHash = async (username: string) => hmac(await clientSecret(), username, config.clientId);
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
