import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { CognitoError } from './cognito/model';

export type AwsOperation = (input: Record<string, unknown>) => Promise<unknown>;

/** An AWS JSON 1.1 service: `X-Amz-Target: <targetPrefix>.<Operation>`. */
export interface AwsJsonService {
  readonly targetPrefix: string;
  readonly operations: Record<string, AwsOperation>;
}

const MAX_BODY = 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new CognitoError('InvalidParameterException', 'Request body too large.', 413));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Every answer, success or error, carries a fresh `x-amzn-RequestId` as AWS's JSON services do (the
 * SDK puts it in `$metadata.requestId`, and the BFF logs it); an error also names its type in
 * `x-amzn-ErrorType`, as well as in the body's `__type`.
 */
function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const type = (body as { __type?: unknown } | undefined)?.__type;
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(status >= 400 && typeof type === 'string' ? { 'x-amzn-errortype': type } : {}),
  });
  res.end(text);
}

/**
 * Serves AWS JSON 1.1 services over HTTP, as the real SDK v3 clients speak it. Errors are
 * `{"__type", "message"}` with status 400; anything unexpected is an InternalErrorException
 * without internals.
 */
export function awsJsonListener(
  services: readonly AwsJsonService[],
  get?: (path: string) => unknown | undefined,
  onError: (error: unknown) => void = () => {},
): RequestListener {
  return async (req, res) => {
    try {
      if (req.method === 'GET' && get) {
        const body = get(new URL(req.url ?? '/', 'http://local').pathname);
        if (body !== undefined) return send(res, 200, body);
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const dot = target.lastIndexOf('.');
      const service = services.find((s) => s.targetPrefix === target.slice(0, dot));
      if (req.method !== 'POST' || !service) {
        return send(res, 400, { __type: 'UnknownOperationException', message: `Unknown target ${target || '(none)'}` });
      }
      const operation = service.operations[target.slice(dot + 1)];
      if (!operation) {
        return send(res, 400, {
          __type: 'UnsupportedOperationException',
          message: `${target.slice(dot + 1)} is not supported by this local emulator.`,
        });
      }
      let input: unknown;
      try {
        const raw = (await readBody(req)).toString('utf8');
        input = raw ? JSON.parse(raw) : {};
      } catch (error) {
        if (error instanceof CognitoError) throw error;
        throw new CognitoError('SerializationException', 'Malformed request body.');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new CognitoError('SerializationException', 'Request body must be a JSON object.');
      }
      send(res, 200, await operation(input as Record<string, unknown>));
    } catch (error) {
      if (error instanceof CognitoError) return send(res, error.status, { __type: error.type, message: error.message });
      onError(error);
      send(res, 500, { __type: 'InternalErrorException', message: 'Internal error.' });
    }
  };
}
