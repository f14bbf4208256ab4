/**
 * The key that seals the session cookies (session.ts). It is generated per deploy as a Secrets Manager secret
 * (lib/constructs/bff-api.ts: 64 random characters that CloudFormation never shows) and read by the functions
 * that handle sessions, and by nothing else: it is not in any environment variable, and each of those functions
 * may call secretsmanager:GetSecretValue on that one secret only. The AES-256 key is HKDF-SHA256 of the secret.
 *
 * Read on the first cookie-mode request (never at cold start: token mode never pays for it), then kept for at
 * most {@link KEY_MAX_AGE_MS}, so that a replaced secret reaches every container within that time; the read and
 * the cache are the shared secret reader's (secret-reader.ts: one signed HTTPS POST, no Secrets Manager SDK).
 */
import { hkdfSync } from 'node:crypto';
import { type SecretSource, cachedSecret } from './secret-reader';

export const KEY_MAX_AGE_MS = 15 * 60_000;
const INFO = 'password-bff session cookies v1';

export interface SessionKeySource extends SecretSource {
  /** @default Date.now */
  readonly now?: () => number;
}

export const deriveKey = (secret: string): Buffer =>
  Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), INFO, 32));

/** The sealing key, read on first use and re-read once it is older than {@link KEY_MAX_AGE_MS}. */
export function sessionKey(source: SessionKeySource): () => Promise<Buffer> {
  const cache = cachedSecret({ ...source, maxAgeMs: KEY_MAX_AGE_MS }, (text) => {
    if (text.length < 32) throw new Error('too short');
    return deriveKey(text);
  });
  return () => cache.get();
}
