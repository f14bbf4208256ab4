/**
 * The shared secret reader (lambdas/shared/secret-reader.ts): one signed GetSecretValue per read, a cache of
 * bounded age, a refresh that bypasses it (shared by the calls made while it runs), failures never kept, and
 * nothing of the secret's text in an error.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MIN_REFRESH_MS, cachedSecret, secretsManagerCall } from '../../../lambdas/shared/secret-reader';

const SOURCE = { secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:s', region: 'eu-west-1' };
let answers: (() => Response)[] = [];
let bodies: { target: string; body: Record<string, unknown>; url: string }[] = [];

beforeEach(() => {
  answers = [];
  bodies = [];
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (uri, init) => {
    const headers = init?.headers as Record<string, string>;
    bodies.push({
      url: String(uri),
      target: headers['x-amz-target'] ?? '',
      body: JSON.parse(String(init?.body)) as Record<string, unknown>,
    });
    const next = answers.shift();
    if (!next) throw new Error('no answer left');
    return next();
  });
});
afterEach(() => {
  jest.restoreAllMocks();
});

const value = (text: string) => () => new Response(JSON.stringify({ SecretString: text }));

describe('cachedSecret', () => {
  it('reads on first use only, keeps the value its maximum age, then reads again', async () => {
    let now = 1_000;
    const cache = cachedSecret({ ...SOURCE, maxAgeMs: 60_000, now: () => now }, (text) => text.toUpperCase());
    expect(bodies).toHaveLength(0);
    answers.push(value('first'), value('second'));
    expect(await cache.get()).toBe('FIRST');
    now += 60_000;
    expect(await cache.get()).toBe('FIRST');
    now += 1;
    expect(await cache.get()).toBe('SECOND');
    expect(bodies).toEqual([
      {
        url: 'https://secretsmanager.eu-west-1.amazonaws.com/',
        target: 'secretsmanager.GetSecretValue',
        body: { SecretId: SOURCE.secretId },
      },
      {
        url: 'https://secretsmanager.eu-west-1.amazonaws.com/',
        target: 'secretsmanager.GetSecretValue',
        body: { SecretId: SOURCE.secretId },
      },
    ]);
  });

  it('refresh reads again, whatever the cache holds, and calls made meanwhile share that read', async () => {
    let now = 1_000;
    const cache = cachedSecret({ ...SOURCE, maxAgeMs: 60_000, now: () => now }, (text) => text);
    answers.push(value('old'), value('new'));
    expect(await cache.get()).toBe('old');
    now += MIN_REFRESH_MS;
    const refreshes = await Promise.all([cache.refresh(), cache.refresh(), cache.refresh()]);
    expect(refreshes).toEqual(['new', 'new', 'new']);
    expect(await cache.get()).toBe('new');
    expect(bodies).toHaveLength(2);
  });

  it('reads a refused secret again at most once an interval: a misconfiguration costs no read per request', async () => {
    let now = 1_000;
    const cache = cachedSecret({ ...SOURCE, maxAgeMs: 60_000, now: () => now }, (text) => text);
    answers.push(value('wrong'), value('still-wrong'), value('fixed'));
    expect(await cache.get()).toBe('wrong');
    now += MIN_REFRESH_MS - 1;
    for (let i = 0; i < 50; i++) expect(await cache.refresh()).toBe('wrong');
    now += 1;
    expect(await cache.refresh()).toBe('still-wrong');
    expect(await cache.refresh()).toBe('still-wrong');
    now += MIN_REFRESH_MS;
    expect(await cache.refresh()).toBe('fixed');
    expect(bodies).toHaveLength(3);
  });

  it('never keeps a failure, and names its type without any value', async () => {
    const cache = cachedSecret({ ...SOURCE, maxAgeMs: 60_000 }, (text) => {
      if (!text.startsWith('{')) throw new Error(`bad ${text}`);
      return text;
    });
    answers.push(
      () => new Response(JSON.stringify({ __type: 'AccessDeniedException', message: 'no' }), { status: 400 }),
      value('not-json-secret-value'),
      value('{"ok":1}'),
    );
    const denied = await cache.get().catch((error: Error) => error);
    expect(String((denied as Error & { cause?: Error }).cause)).toContain('AccessDeniedException');
    const malformed = await cache.get().catch((error: Error) => error);
    expect(JSON.stringify(malformed) + String((malformed as Error & { cause?: Error }).cause)).not.toContain(
      'not-json-secret-value',
    );
    expect(await cache.get()).toBe('{"ok":1}');
    expect(bodies).toHaveLength(3);
  });
});

describe('secretsManagerCall', () => {
  it('sends PutSecretValue signed with the given credentials to the given endpoint', async () => {
    answers.push(() => new Response(JSON.stringify({ VersionId: 'v2' })));
    const answer = await secretsManagerCall(
      { ...SOURCE, endpoint: 'http://127.0.0.1:9/', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 's' } },
      'PutSecretValue',
      { SecretString: 'x', ClientRequestToken: 't' },
    );
    expect(answer).toEqual({ VersionId: 'v2' });
    expect(bodies).toEqual([
      {
        url: 'http://127.0.0.1:9/',
        target: 'secretsmanager.PutSecretValue',
        body: { SecretString: 'x', ClientRequestToken: 't', SecretId: SOURCE.secretId },
      },
    ]);
    const headers = (jest.mocked(globalThis.fetch).mock.calls[0]?.[1]?.headers ?? {}) as Record<string, string>;
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/secretsmanager\//,
    );
  });
});
