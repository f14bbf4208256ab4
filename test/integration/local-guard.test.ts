/**
 * What the local stack answers to whom: the local-only endpoints, the page and the local Cognito
 * only to requests addressed to a loopback name (a DNS-rebinding page must not read the client
 * secret or the outbox), the API to any Host; and API Gateway's throttles only when asked for.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RunningStack, removeDir, startStack } from '../support/stack';
import { defaultSettings } from '../../lambdas/shared/settings';
import { LOCAL_CLIENT_SECRET_ID } from '../../local/secrets';

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** A request with a Host header of our choosing (fetch does not let one set Host). */
function raw(
  base: string,
  method: string,
  path: string,
  host: string,
  options: { body?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname + url.search,
        headers: {
          host,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('loopback-only local endpoints', () => {
  let stack: RunningStack;
  let port: string;
  let secret: string;
  let cognitoEndpoint: string;

  beforeAll(async () => {
    stack = await startStack();
    port = new URL(stack.url).port;
    const config = parse((await raw(stack.url, 'GET', '/_local/config', `127.0.0.1:${port}`)).text);
    secret = String(config.clientSecret);
    cognitoEndpoint = String(config.cognitoEndpoint);
  });

  afterAll(async () => {
    await stack?.stop();
    if (stack) removeDir(stack.dataDir);
  });

  it('answers the local endpoints and the page for localhost, 127.0.0.1 and [::1], with or without a port', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LocalHost:${port}`, 'localhost']) {
      const config = await raw(stack.url, 'GET', '/_local/config', host);
      expect({ host, status: config.status }).toEqual({ host, status: 200 });
      expect(parse(config.text).clientSecret).toBe(secret);
      const page = await raw(stack.url, 'GET', '/', host);
      expect({ host, status: page.status }).toEqual({ host, status: 200 });
    }
  });

  it('refuses them, in the problem shape and without the secret, for any other Host', async () => {
    const forged = [
      'evil.example',
      `evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `[::2]:${port}`,
      `localhost:${port}@evil.example`,
    ];
    const endpoints: [string, string, string?][] = [
      ['GET', '/_local/config'],
      ['GET', '/_local/outbox'],
      ['GET', '/_local/events'],
      ['GET', '/_local/clock'],
      ['GET', '/_local/nothing-here'],
      ['POST', '/_local/clock', '{"advanceMs":1}'],
      ['GET', '/'],
      ['GET', '/app.js'],
    ];
    for (const host of forged) {
      for (const [method, path, body] of endpoints) {
        const answer = await raw(stack.url, method, path, host, body === undefined ? {} : { body });
        expect({ host, method, path, status: answer.status }).toEqual({ host, method, path, status: 403 });
        expect(answer.headers['content-type']).toBe('application/problem+json');
        expect(parse(answer.text)).toMatchObject({ status: 403, code: 'Forbidden' });
        expect(answer.text).not.toContain(secret);
      }
    }
  });

  it('keeps the API and its contract open to any Host, as a deployed API is', async () => {
    const contract = await raw(stack.url, 'GET', '/openapi.json', 'api.example.com');
    expect(contract.status).toBe(200);
    expect(parse(contract.text).openapi).toEqual(expect.any(String));
    const signIn = await raw(stack.url, 'POST', '/auth/sign-in', 'api.example.com', { body: '{}' });
    expect(signIn.status).toBe(400);
    expect(parse(signIn.text).code).toBe('ValidationFailed');
  });

  it('has the local Cognito and Secrets Manager refuse a forged Host too, so they cannot hand out the secret', async () => {
    // The client secret's source of truth, as the functions read it (lambdas/shared/secret-reader.ts).
    const describe = (host: string) =>
      raw(cognitoEndpoint, 'POST', '/', host, {
        body: JSON.stringify({ SecretId: LOCAL_CLIENT_SECRET_ID }),
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      });
    const own = await describe(new URL(cognitoEndpoint).host);
    expect(own.status).toBe(200);
    expect(own.text).toContain(secret);
    const forged = await describe(`evil.example:${new URL(cognitoEndpoint).port}`);
    expect(forged.status).toBe(403);
    expect(parse(forged.text).__type).toBe('AccessDeniedException');
    expect(forged.text).not.toContain(secret);
  });

  it('does not throttle by default: a burst above the strict routes burst limit gets no 429', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => raw(stack.url, 'POST', '/auth/sign-in', `127.0.0.1:${port}`, { body: '{}' })),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 400));
  });
});

describe('npm start -- --throttle', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startStack({ args: ['--throttle'] });
  });

  afterAll(async () => {
    await stack?.stop();
    if (stack) removeDir(stack.dataDir);
  });

  it("emulates API Gateway's per-method token buckets: the strict class's burst, then 429 with Retry-After", async () => {
    const host = new URL(stack.url).host;
    // publicRouteThrottle is 10/s with a burst of 20 (cdk.json defaults); 40 at once overrun it.
    const strict = await Promise.all(
      Array.from({ length: 40 }, () => raw(stack.url, 'POST', '/auth/sign-in', host, { body: '{}' })),
    );
    const throttled = strict.filter((a) => a.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(strict.filter((a) => a.status !== 429).every((a) => a.status === 400)).toBe(true);
    for (const answer of throttled) {
      // The one Retry-After of every 429, as the gateway's THROTTLED answer (bff:retryAfterSeconds).
      expect(answer.headers['retry-after']).toBe(String(defaultSettings.retryAfterSeconds));
      expect(parse(answer.text)).toMatchObject({ status: 429, code: 'TooManyRequests' });
    }
    // Another method has its own bucket of the stage's class (100/s, burst 200): not throttled.
    const stage = await Promise.all(Array.from({ length: 40 }, () => raw(stack.url, 'GET', '/me', host)));
    expect(stage.map((a) => a.status)).toEqual(stage.map(() => 401));
  });
});
