/**
 * The contract under hostile input: error shapes, forged tokens, the OpenAPI document, CORS.
 * Part of the flow suite: written once against a target (test/support/target.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { routeList } from '../../lambdas/routes';
import { call, expectProblem, target, useFlow } from './flow';

useFlow();

describe('hostile input', () => {
  // Every public route that takes a body, from the route table.
  const routes = routeList.filter((r) => r.auth === 'none' && r.schema).map((r) => [r.method, r.path] as const);
  it('covers every public route with a body', () => {
    expect(routes.length).toBeGreaterThanOrEqual(8);
  });
  const bodies: [string, { raw?: string; headers?: Record<string, string> }][] = [
    ['malformed JSON', { raw: '{"username": ' }],
    ['an array', { raw: '[1,2,3]' }],
    ['a string', { raw: '"hello"' }],
    ['null', { raw: 'null' }],
    [
      'prototype keys',
      { raw: '{"__proto__": {"admin": true}, "constructor": {"prototype": {}}, "username": "x@example.com"}' },
    ],
    ['wrong types', { raw: '{"username": 5, "password": ["a"], "code": {}}' }],
    ['unknown fields', { raw: '{"username": "x@example.com", "isAdmin": true}' }],
    ['a huge string', { raw: JSON.stringify({ username: 'x'.repeat(20_000) }) }],
    ['plain text', { raw: 'username=x', headers: { 'content-type': 'text/plain' } }],
    ['no body', { raw: '' }],
  ];
  for (const [method, path] of routes) {
    it(`answers 4xx problems on ${method} ${path}, never a 5xx nor an echo`, async () => {
      for (const [, options] of bodies) {
        const answer = await call(method, path, undefined, options);
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
        expect(answer.text).not.toContain('xxxxxxxxxx');
        expect(answer.text).not.toMatch(/at .*\.ts:\d+/);
      }
    });
  }

  it('rejects a forged token on every bearer route with 401', async () => {
    const forged = 'eyJraWQiOiJmb3JnZWQiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4IiwidG9rZW5fdXNlIjoiYWNjZXNzIn0.c2lnbmF0dXJl';
    for (const [method, path] of [
      ['GET', '/me'],
      ['DELETE', '/me'],
      ['PATCH', '/me/attributes'],
      ['POST', '/me/attributes/verify'],
      ['POST', '/me/attributes/verification-code'],
      ['POST', '/auth/sign-out'],
      ['POST', '/password/change'],
      ['POST', '/admin/users/someone%40example.com/password-reset'],
    ] as const) {
      expectProblem(
        await call(method, path, method === 'GET' ? undefined : {}, { token: forged }),
        401,
        'NotAuthorized',
      );
    }
  });

  it('serves the OpenAPI document with every route', async () => {
    const doc = await call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/auth/sign-up',
        '/password/forgot',
        '/admin/users/{username}/password-reset',
        '/me',
        '/me/attributes',
      ]),
    );
  });

  it('answers CORS for an allowed origin, errors included, and for no other', async () => {
    const origin = target().allowedOrigin;
    const preflight = await call('OPTIONS', '/auth/sign-in', undefined, {
      headers: { origin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    const problem = await call('POST', '/auth/sign-in', {}, { headers: { origin } });
    expect(problem.status).toBe(400);
    expect(problem.headers.get('access-control-allow-origin')).toBe(origin);
    const foreign = await call('POST', '/auth/sign-in', {}, { headers: { origin: 'https://evil.example.net' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
