/**
 * What a route's bundle leaves out, bundled with the CDK app's own esbuild settings: the token checks are handed in
 * by the entries of authenticated routes only (shared/http.ts `TokenChecks`), so a route that takes no token does
 * not load aws-jwt-verify at cold start, and only the admin route carries the admin check.
 */
import { expect, it } from '@jest/globals';
import { routes } from '../../lambdas/routes';
import { bundle } from '../support/bundle';

it.each(Object.values(routes).map((route) => [route.name, route] as const))(
  '%s bundles the token checks only if it takes a token',
  async (_name, route) => {
    const { inputs } = await bundle(route.entry);
    expect(inputs.some((input) => input.includes('lambdas/shared/http.ts'))).toBe(true);
    expect(inputs.some((input) => input.includes('node_modules/aws-jwt-verify/'))).toBe(route.auth !== 'none');
    expect(inputs.some((input) => input.includes('lambdas/shared/admin-token.ts'))).toBe(route.auth === 'admin');
  },
  60_000,
);
