/**
 * Secrets Manager for the functions, without its SDK client: GetSecretValue (and, for the client secret's installer
 * and runbook, PutSecretValue) as one signed HTTPS POST over AWS JSON 1.1, signed with SigV4 by the signer the AWS
 * SDK itself uses. One or two calls do not justify a second SDK client in every bundle (bundle and cold-start
 * budgets). Locally the same call goes to the local stack's Secrets Manager (SECRETS_MANAGER_ENDPOINT).
 *
 * {@link cachedSecret} keeps a secret for a bounded time: read on first use (never at cold start), read again once
 * older than its maximum age, so that a replaced value reaches every container within that time; and read at once,
 * bypassing the cache, when the caller learns that the value it holds was refused (a rotated client secret). Two
 * readers use it: the session-cookie key (session-key.ts) and the app client's secret (cognito.ts).
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { InternalError } from './problem';
import { signedPost } from './signed-request';

export interface SecretSource {
  /** The secret's ARN or name. */
  readonly secretId: string;
  /** Local stack only. @default - Secrets Manager's regional endpoint */
  readonly endpoint?: string;
  readonly region: string;
  /** @default - the function's own credentials, from Lambda's environment */
  readonly credentials?: AwsCredentialIdentity;
}

/**
 * One Secrets Manager operation on `source`'s secret (`SecretId` is added to `input`). A failure is an
 * InternalError whose cause names the error type (AccessDenied, ResourceNotFound), never a value.
 */
export async function secretsManagerCall(
  source: SecretSource,
  operation: 'GetSecretValue' | 'PutSecretValue',
  input: Readonly<Record<string, unknown>> = {},
): Promise<Record<string, unknown>> {
  const answer = await signedPost({
    service: 'secretsmanager',
    region: source.region,
    url: new URL(source.endpoint ?? `https://secretsmanager.${source.region}.amazonaws.com/`),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${operation}` },
    body: { ...input, SecretId: source.secretId },
    ...(source.credentials ? { credentials: source.credentials } : {}),
  });
  if (answer.errorType) throw new InternalError({ cause: new Error(`${operation} failed: ${answer.errorType}`) });
  return answer.json;
}

/** The secret's current text (AWSCURRENT). */
export async function getSecretString(source: SecretSource): Promise<string> {
  const answer = await secretsManagerCall(source, 'GetSecretValue');
  if (typeof answer.SecretString !== 'string') {
    throw new InternalError({ cause: new Error('GetSecretValue failed: no SecretString') });
  }
  return answer.SecretString;
}

export interface SecretCache<T> {
  /** The value, from the cache while it is at most the maximum age old; read on first use. */
  get(): Promise<T>;
  /**
   * The value read again (the one the cache held was refused), unless the cache's value was read less than
   * `minRefreshMs` ago: then that value, so that a misconfiguration (a secret every call refuses) costs one read
   * per interval, not one per request. Calls made while a read is under way share it.
   */
  refresh(): Promise<T>;
}

export interface CachedSecretOptions extends SecretSource {
  readonly maxAgeMs: number;
  /** @default 5000 */
  readonly minRefreshMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The shortest time between two reads of a refused secret (see {@link SecretCache.refresh}). */
export const MIN_REFRESH_MS = 5_000;

/**
 * A secret kept at most `maxAgeMs`, parsed by `parse` (which throws on a malformed text; the text itself is never
 * reported). A failed read is never kept: the next call reads again.
 */
export function cachedSecret<T>(options: CachedSecretOptions, parse: (text: string) => T): SecretCache<T> {
  const now = options.now ?? (() => Date.now());
  let cached: { value: Promise<T>; at: number; refreshing: boolean } | undefined;
  const read = (refreshing: boolean): Promise<T> => {
    const entry = {
      value: getSecretString(options).then((text) => {
        try {
          return parse(text);
        } catch {
          throw new InternalError({ cause: new Error('GetSecretValue failed: the secret is malformed') });
        }
      }),
      at: now(),
      refreshing,
    };
    entry.value.then(
      () => (entry.refreshing = false),
      () => {
        if (cached === entry) cached = undefined; // a failure is retried by the next request, never kept
      },
    );
    cached = entry;
    return entry.value;
  };
  return {
    get: () => (cached && now() - cached.at <= options.maxAgeMs ? cached.value : read(false)),
    refresh: () =>
      cached && (cached.refreshing || now() - cached.at < (options.minRefreshMs ?? MIN_REFRESH_MS))
        ? cached.value
        : read(true),
  };
}
