/**
 * The key that seals the session cookies (session.ts). It is generated per deploy as a Secrets Manager secret
 * (lib/constructs/bff-api.ts: 64 random characters that CloudFormation never shows) and read by the functions
 * that handle sessions, and by nothing else: it is not in any environment variable, and each of those functions
 * may call secretsmanager:GetSecretValue on that one secret only. The AES-256 key is HKDF-SHA256 of the secret.
 *
 * Read on the first cookie-mode request (never at cold start: token mode never pays for it), then kept for at
 * most {@link KEY_MAX_AGE_MS}, so that a replaced secret reaches every container within that time. The call
 * is one signed HTTPS POST (SigV4, with the signer the AWS SDK itself uses) rather than the Secrets Manager
 * SDK client: one call does not justify a second client in every session bundle (bundle and cold-start
 * budgets). Locally the same call goes to the local stack's Secrets Manager (SECRETS_MANAGER_ENDPOINT).
 */
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';
import { InternalError } from './problem';

export const KEY_MAX_AGE_MS = 15 * 60_000;
const INFO = 'password-bff session cookies v1';

/** node:crypto as the signer's hash (what @smithy/hash-node does). */
class Sha256 implements Checksum {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: Uint8Array | string): void {
    this.hash.update(toBuffer(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
  reset(): void {
    throw new Error('not supported');
  }
}

const toBuffer = (data: SourceData): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

export interface SessionKeySource {
  readonly secretId: string;
  /** Local stack only. @default - Secrets Manager's regional endpoint */
  readonly endpoint?: string;
  readonly region: string;
  /** @default Date.now */
  readonly now?: () => number;
}

/** GetSecretValue over AWS JSON 1.1, signed with the function's own credentials (Lambda's environment). */
async function getSecretString(source: SessionKeySource): Promise<string> {
  const url = new URL(source.endpoint ?? `https://secretsmanager.${source.region}.amazonaws.com/`);
  const body = JSON.stringify({ SecretId: source.secretId });
  const signer = new SignatureV4({
    service: 'secretsmanager',
    region: source.region,
    sha256: Sha256,
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
      ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
    },
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: {},
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'secretsmanager.GetSecretValue',
    },
    body,
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: signed.headers,
    body,
    signal: AbortSignal.timeout(3000),
  });
  const answer = (await response.json().catch(() => ({}))) as { SecretString?: unknown; __type?: unknown };
  if (!response.ok || typeof answer.SecretString !== 'string' || answer.SecretString.length < 32) {
    // The type names the cause (AccessDenied, ResourceNotFound) without any value.
    throw new InternalError({ cause: new Error(`GetSecretValue failed: ${String(answer.__type ?? response.status)}`) });
  }
  return answer.SecretString;
}

export const deriveKey = (secret: string): Buffer =>
  Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), INFO, 32));

/** The sealing key, read on first use and re-read once it is older than {@link KEY_MAX_AGE_MS}. */
export function sessionKey(source: SessionKeySource): () => Promise<Buffer> {
  const now = source.now ?? Date.now;
  let cached: { key: Promise<Buffer>; at: number } | undefined;
  return () => {
    if (!cached || now() - cached.at > KEY_MAX_AGE_MS) {
      const entry = { key: getSecretString(source).then(deriveKey), at: now() };
      entry.key.catch(() => {
        if (cached === entry) cached = undefined; // a failure is retried by the next request, never kept
      });
      cached = entry;
    }
    return cached.key;
  };
}
