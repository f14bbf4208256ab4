/**
 * What an attacker can put into a request and into the mail it causes (issue #17): nesting,
 * the redirect allowlist, the link's purpose, app ids, names in mail to unverified addresses.
 * Part of the flow suite: written once against a target (test/support/target.ts).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { routeList } from '../../lambdas/routes';
import { call, expectProblem, signIn, signInAsAdmin, signUpConfirmed, uniqueEmail, useFlow } from './flow';

useFlow();

describe('body parsing', () => {
  const routes = routeList.filter((r) => r.schema).map((r) => [r.method, r.path, r.auth] as const);
  const tokens: Partial<Record<'user' | 'admin', string>> = {};
  beforeAll(async () => {
    const email = uniqueEmail('deep');
    await signUpConfirmed(email);
    tokens.user = (await signIn(email)).accessToken;
    tokens.admin = (await signInAsAdmin()).accessToken;
  });

  it.each(routes)(
    '%s %s answers an 8000-deep body under the size limit with a 400, not a 500',
    async (method, path, auth) => {
      const token = auth === 'none' ? undefined : tokens[auth];
      for (const raw of [
        `${'['.repeat(8000)}${']'.repeat(8000)}`,
        `{"username":${'['.repeat(7990)}${']'.repeat(7990)}}`,
      ]) {
        expect(raw.length).toBeLessThan(16 * 1024);
        const answer = await call(method, path.replace('{username}', 'someone%40example.com'), undefined, {
          raw,
          ...(token ? { token } : {}),
        });
        expectProblem(answer, 400, 'ValidationFailed');
        expect(answer.body.detail).toBe('The body is nested too deeply.');
      }
    },
  );
});
