/** /openapi.json documents both session modes on every route (README, "Sessions"). */
import { describe, expect, it } from '@jest/globals';
import { openApiDocument } from '../../lambdas/openapi';
import { routeList } from '../../lambdas/routes';

const doc = openApiDocument() as { paths: Record<string, Record<string, any>>; components: any; info: any };
const operationOf = (route: (typeof routeList)[number]) => doc.paths[route.path]?.[route.method.toLowerCase()];

describe('OpenAPI: cookie mode and token mode', () => {
  it('declares the X-BFF-Session header and the 403 of a foreign origin on every operation', () => {
    for (const route of routeList) {
      const operation = operationOf(route);
      expect([route.name, operation.parameters.find((p: any) => p.name === 'X-BFF-Session')?.schema]).toEqual([
        route.name,
        { type: 'string', enum: ['cookie', 'token'] },
      ]);
      expect(operation.responses['403']).toBeDefined();
    }
    expect(doc.info.description).toMatch(/__Host-bff-access.*__Secure-bff-refresh/s);
  });

  it('accepts the bearer token or the session cookie on every authenticated route', () => {
    for (const route of routeList.filter((r) => r.auth !== 'none')) {
      expect([route.name, operationOf(route).security]).toEqual([
        route.name,
        [{ cognitoAccessToken: [] }, { sessionCookie: [] }],
      ]);
    }
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({ in: 'cookie', name: '__Host-bff-access' });
  });

  it('answers tokens or the cookie-mode body on the session routes, and clears cookies on sign-out and delete', () => {
    const issuing = routeList.filter((r) => r.session === 'issue').map((r) => r.name);
    expect(issuing.sort()).toEqual(['changePassword', 'newPassword', 'refresh', 'signIn']);
    for (const route of routeList) {
      const answer = operationOf(route).responses[String(route.status)];
      if (route.session === 'issue') {
        const variants = answer.content['application/json'].schema.oneOf;
        expect(variants).toContainEqual(expect.objectContaining({ required: ['mode', 'expiresIn'] }));
        expect(answer.headers['Set-Cookie'].description).toMatch(/__Host-bff-access/);
      } else if (route.session === 'end') {
        expect(answer.headers['Set-Cookie'].description).toMatch(/Max-Age=0/);
      } else expect([route.name, answer.headers]).toEqual([route.name, undefined]);
    }
    const refresh = doc.paths['/auth/refresh']?.post.requestBody.content['application/json'].schema.oneOf;
    expect(refresh.map((s: any) => s.required ?? [])).toEqual([['refreshToken'], []]);
  });
});
