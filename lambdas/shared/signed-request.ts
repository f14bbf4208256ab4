/**
 * One signed HTTPS call to an AWS JSON API (SigV4 with the signer the AWS SDK itself uses, the function's own
 * credentials from Lambda's environment), for functions that make one or two calls to a service: a whole SDK
 * client in the bundle for that would cost bundle size and cold start (bench budgets). Used by the notices
 * (SES v2, ses.ts) and the per-user code cap (DynamoDB, code-cap.ts); only loaded by the functions that use
 * them, on first use. Locally the same call goes to the local stack's endpoint (the `*_ENDPOINT` variables).
 * Secrets Manager's reader (secret-reader.ts) signs with it too.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types';

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

export interface SignedRequest {
  /** The signing name: `ses`, `dynamodb`. */
  readonly service: string;
  readonly region: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** @default 3000 */
  readonly timeoutMs?: number;
  /** @default - the function's own credentials, from Lambda's environment */
  readonly credentials?: AwsCredentialIdentity;
}

export interface SignedAnswer {
  readonly status: number;
  /** The JSON answer, `{}` when there is none. */
  readonly json: Record<string, unknown>;
  /** The error type AWS names (`x-amzn-ErrorType` or `__type`, without its namespace), if any. */
  readonly errorType?: string;
}

/** POSTs `body` as JSON, signed; never throws for an HTTP error status (the caller reads `errorType`). */
export async function signedPost(request: SignedRequest): Promise<SignedAnswer> {
  const { url } = request;
  const body = JSON.stringify(request.body);
  const signer = new SignatureV4({
    service: request.service,
    region: request.region,
    sha256: Sha256,
    credentials: request.credentials ?? {
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
    headers: { host: url.host, ...request.headers },
    body,
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: signed.headers,
    body,
    signal: AbortSignal.timeout(request.timeoutMs ?? 3000),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok) return { status: response.status, json };
  const raw = response.headers.get('x-amzn-errortype') ?? (typeof json.__type === 'string' ? json.__type : '');
  // `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException`, `NotFoundException:http://...`
  const errorType = raw.split(':')[0]?.split('#').at(-1) || `HTTP${response.status}`;
  return { status: response.status, json, errorType };
}
