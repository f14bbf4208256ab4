/**
 * Property-based fuzzing of every route of the running local stack: arbitraries derived from the
 * route table's zod schemas, plus hostile ones. No answer >= 500, every 4xx is problem+json, no
 * answer echoes a password, code or token. Replay a failure with FUZZ_SEED=<seed printed>.
 */
import fc from 'fast-check';
import * as z from 'zod/mini';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RouteDefinition, routeList } from '../../lambdas/routes';
import { PASSWORD, type RunningStack, client, removeDir, startStack, uniqueEmail } from '../support/stack';
import { expectWith } from '../support/expect';
import { record } from './summary';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const SECRET_FIELDS = new Set([
  'password',
  'previousPassword',
  'proposedPassword',
  'newPassword',
  'code',
  'refreshToken',
  'session',
]);

let stack: RunningStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startStack();
  api = client(stack.url);
});

/** A fresh user per route: sign-out and delete would spoil a shared token. */
async function freshToken(admin: boolean): Promise<string> {
  if (admin)
    return (
      await api.call('POST', '/auth/sign-in', { username: 'admin@example.com', password: 'Local-Admin-Passw0rd!' })
    ).body.accessToken;
  const email = uniqueEmail('fuzz');
  await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD });
  await api.call('POST', '/auth/sign-up/confirm', { username: email, code: await api.latestCode(email) });
  return (await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD })).body.accessToken;
}

afterAll(async () => {
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  minLength?: number;
  maxLength?: number;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
};

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.emailAddress(),
  fc.constantFrom(
    'Corr3ct-Horse-Battery!',
    '123456',
    'en',
    'fr-CA',
    'http://localhost:3000/',
    'javascript:alert(1)',
    '<script>',
  ),
);

/** An arbitrary that mostly respects the schema, and sometimes not. */
function fromSchema(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => fromSchema(s, depth)));
  switch (schema.type) {
    case 'object': {
      if (schema.properties) {
        const props = Object.fromEntries(
          Object.entries(schema.properties).map(([k, v]) => [k, fromSchema(v, depth + 1)]),
        );
        return fc.record(props, { requiredKeys: schema.required?.filter((k) => k in props) ?? [] });
      }
      const values =
        typeof schema.additionalProperties === 'object' ? fromSchema(schema.additionalProperties, depth + 1) : text;
      return fc.dictionary(
        fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('locale', 'redirectUri', 'app', 'name', 'email')),
        values,
        { maxKeys: 12 },
      );
    }
    case 'string':
      return fc.oneof(
        { weight: 3, arbitrary: text },
        {
          weight: 1,
          arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 64, 300) }),
        },
      );
    case 'number':
    case 'integer':
      return fc.oneof(fc.integer(), fc.double());
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(schema.items ? fromSchema(schema.items, depth + 1) : fc.anything(), { maxLength: 5 });
    default:
      return fc.anything();
  }
}

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

/** Hostile bodies: raw text, so duplicate keys and bad JSON stay as sent. */
const hostile: fc.Arbitrary<{ raw: string; contentType?: string }> = fc.oneof(
  fc
    .string({ minLength: 5000, maxLength: 20000 })
    .map((s) => ({ raw: JSON.stringify({ username: s, password: s, code: s }) })),
  fc
    .string({ unit: 'binary', maxLength: 200 })
    .map((s) => ({ raw: JSON.stringify({ username: s, attributes: { name: s } }) })),
  fc.constantFrom(
    { raw: '{"__proto__": {"isAdmin": true}, "username": "a@example.com"}' },
    { raw: '{"constructor": {"prototype": {"x": 1}}}' },
    { raw: '{"clientMetadata": {"__proto__": "x"}, "username": "a@example.com"}' },
    { raw: '{"username": "a@example.com", "username": "b@example.com"}' },
    { raw: deep(5000) },
    { raw: '{"username":' },
    { raw: 'null' },
    { raw: '"string"' },
    { raw: '12' },
    { raw: '' },
  ),
  fc.anything().map((value) => ({ raw: JSON.stringify(value) ?? 'undefined' })),
  fc.record({ username: fc.emailAddress() }).map((body) => ({ raw: JSON.stringify(body), contentType: 'text/plain' })),
  fc
    .record({ username: fc.emailAddress() })
    .map((body) => ({ raw: new URLSearchParams(body).toString(), contentType: 'application/x-www-form-urlencoded' })),
);

function secretsOf(value: unknown, out: string[] = []): string[] {
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (SECRET_FIELDS.has(key) && typeof v === 'string' && v.length >= 8) out.push(v);
      else secretsOf(v, out);
    }
  }
  return out;
}

function bodyArbitrary(route: RouteDefinition) {
  const schema = route.schema
    ? (z.toJSONSchema(route.schema(), { io: 'input', unrepresentable: 'any' }) as JsonSchema)
    : { type: 'object' };
  return fc.oneof(
    {
      weight: 2,
      arbitrary: fromSchema(schema).map((body) => ({
        raw: JSON.stringify(body),
        body,
        contentType: 'application/json' as string | undefined,
      })),
    },
    { weight: 1, arbitrary: hostile.map((h) => ({ ...h, body: undefined as unknown })) },
  );
}

describe.each(routeList.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_label, route) => {
  it(`never fails, never leaks (${RUNS} cases)`, async () => {
    const token = await freshToken(route.auth === 'admin');
    let cases = 0;
    let fours = 0;
    await fc.assert(
      fc.asyncProperty(
        bodyArbitrary(route),
        fc.boolean(),
        fc.oneof(fc.emailAddress(), fc.string({ maxLength: 200 })),
        async (input, withToken, pathValue) => {
          const path = route.path.replace('{username}', encodeURIComponent(pathValue) || 'x');
          const headers: Record<string, string> = {};
          if (input.contentType) headers['content-type'] = input.contentType;
          if (route.auth !== 'none' && withToken) headers.authorization = `Bearer ${token}`;
          const response = await fetch(stack.url + path, {
            method: route.method,
            headers,
            ...(route.method === 'GET' ? {} : { body: input.raw }),
          });
          const answer = await response.text();
          cases += 1;
          expectWith(response.status, answer.slice(0, 300)).toBeLessThan(500);
          if (response.status >= 400) {
            fours += 1;
            expect(response.headers.get('content-type')).toContain('application/problem+json');
            const problem = JSON.parse(answer);
            expect(problem).toMatchObject({
              status: response.status,
              code: expect.any(String),
              type: expect.any(String),
            });
          }
          for (const secret of secretsOf(input.body)) expect(answer).not.toContain(secret);
          expect(answer).not.toContain(token);
        },
      ),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
    );
    record('fuzz', `${route.method} ${route.path}`, `${cases} cases, ${fours} 4xx, 0 5xx`);
  });
});
