import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  randomInt,
  randomUUID,
  scrypt,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt);
  return `scrypt$${SCRYPT.N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [, , salt, hash] = stored.split('$');
  if (!salt || !hash) return false;
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'));
  return timingSafeEqual(key, Buffer.from(hash, 'base64'));
}

/** A hash with the same cost, so an unknown user's sign-in takes as long as a real one. */
const zeros = (bytes: number) => Buffer.alloc(bytes).toString('base64');
export const DUMMY_HASH = `scrypt$${SCRYPT.N}$${zeros(16)}$${zeros(32)}`;

export const secretHash = (username: string, clientId: string, clientSecret: string) =>
  createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');

export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
export const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');
export const newId = () => randomUUID();
export const randomToken = (bytes: number) => randomBytes(bytes).toString('base64url');

export function newSigningKey(): { kid: string; privatePem: string; publicJwk: Record<string, string> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomToken(24);
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  return {
    kid,
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: { kid, alg: 'RS256', kty: 'RSA', use: 'sig', e: jwk.e ?? '', n: jwk.n ?? '' },
  };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(claims: Record<string, unknown>, key: { kid: string; privatePem: string }): string {
  const head = `${b64url({ kid: key.kid, alg: 'RS256' })}.${b64url(claims)}`;
  const signature = sign('RSA-SHA256', Buffer.from(head), createPrivateKey(key.privatePem));
  return `${head}.${signature.toString('base64url')}`;
}

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** Parses without trusting: undefined for anything that is not a well-formed JWS. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, c, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (!isRecord(header) || !isRecord(claims)) return undefined;
    return { header, claims, signingInput: `${h}.${c}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    return undefined;
  }
}

export function verifySignature(jwt: DecodedJwt, jwk: Record<string, string>): boolean {
  if (jwt.header.alg !== 'RS256' || jwt.header.kid !== jwk.kid) return false;
  const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  return verify('RSA-SHA256', Buffer.from(jwt.signingInput), key, jwt.signature);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
