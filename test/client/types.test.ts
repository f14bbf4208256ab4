/**
 * The client's hand-written public types (client/types.ts) against the route table's schemas, the OpenAPI
 * document and the codes the BFF sends, so that they cannot drift. The type checks are compiled by
 * `npm run typecheck` (part of `npm test`); the run-time checks below compare what types cannot see.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChallengeNameType } from '@aws-sdk/client-cognito-identity-provider';
import { expect, it } from '@jest/globals';
import type { z } from 'zod/mini';
import * as client from '../../client';
import type * as T from '../../client/types';
import { GATEWAY_ANSWERS } from '../../lib/constructs/bff-api';
import { openApiDocument } from '../../lambdas/openapi';
import { routeList, type routes } from '../../lambdas/routes';
import { BUILTIN_METADATA_KEYS } from '../../lambdas/shared/config';
import type { LinkFlow } from '../../lambdas/shared/redirect';
import { defaultSettings } from '../../lambdas/shared/settings';

type Routes = typeof routes;
type In<N extends keyof Routes> = Routes[N] extends { schema: () => infer S extends z.ZodMiniType }
  ? z.input<S>
  : never;
type Out<N extends keyof Routes> = Routes[N] extends { answer: () => infer S extends z.ZodMiniType }
  ? z.output<S>
  : never;
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
/** An interface as a plain object type (interfaces, kept open for declaration merging, have no index signature). */
type Plain<X> = X extends object ? { [K in keyof X]: Plain<X[K]> } : X;
type Sendable<Mine, Schema> = [Plain<Mine>] extends [Schema] ? true : false;
/** A body: what the client lets a caller send is accepted by the schema, with the same fields. */
type Body<Mine, Schema> = Sendable<Mine, Schema> extends true ? Equal<keyof Mine, keyof Schema> : false;
/** An answer: what the BFF sends fits the client's type, with the same fields. */
type Answer<Mine, Schema> = [Schema] extends [Mine] ? Equal<keyof Mine, keyof Schema> : false;
const check = <Ok extends true>(...cases: Ok[]) => cases;

check<Body<T.SignUpBody, In<'signUp'>>>();
check<Answer<T.SignUpAnswer, Out<'signUp'>>>();
check<Body<T.ConfirmSignUpBody, In<'confirmSignUp'>>>();
check<Body<T.ResendBody, In<'resendSignUpCode'>>>();
check<Answer<T.CodeDeliveryAnswer, Out<'resendSignUpCode'>>>();
check<Body<T.SignInBody, In<'signIn'>>>();
check<Answer<T.Tokens, Extract<Out<'signIn'>, { accessToken: string }>>>();
// The schema says string; the client narrows the name to Cognito's ChallengeNameType (checked below).
type SignInChallenge = Extract<Out<'signIn'>, { challenge: unknown }>['challenge'];
check<Answer<Omit<T.Challenge, 'name'> & { name: string }, SignInChallenge>>();
check<Equal<keyof T.ChallengeAnswer, keyof Extract<Out<'signIn'>, { challenge: unknown }>>>();
check<Answer<T.Tokens, Out<'refresh'>>>();
check<Answer<T.Tokens, Out<'newPassword'>>>();
check<Answer<T.Tokens, Out<'changePassword'>>>();
check<Body<T.NewPasswordBody, In<'newPassword'>>>();
check<Body<T.RefreshBody, In<'refresh'>>>();
check<Body<T.ForgotBody, In<'forgotPassword'>>>();
check<Answer<T.CodeDeliveryAnswer, Out<'forgotPassword'>>>();
check<Body<T.ResetBody, In<'resetPassword'>>>();
check<Body<T.ChangeBody, In<'changePassword'>>>();
check<Body<T.AdminResetBody, In<'adminResetPassword'>>>();
check<Answer<T.AdminResetAnswer, Out<'adminResetPassword'>>>();
check<Answer<T.Me, Out<'getMe'>>>();
check<Body<T.UpdateAttributesBody, In<'updateAttributes'>>>();
check<Answer<T.UpdateAttributesAnswer, Out<'updateAttributes'>>>();
check<Body<T.VerifyAttributeBody, In<'verifyAttribute'>>>();
check<Body<T.VerificationCodeBody, In<'sendVerificationCode'>>>();
check<Answer<T.CodeDeliveryAnswer, Out<'sendVerificationCode'>>>();
check<Answer<T.PasswordPolicy, Out<'passwordPolicy'>>>();
check<Equal<T.ChallengeName, ChallengeNameType>>();
check<Equal<T.LinkFlow, LinkFlow>>();
check<Equal<(typeof client.PROBLEM_CODES)[number], T.ProblemCode>>();
check<Equal<client.EndpointName, keyof Routes>>();

it('names every route with its method and path, as the route table and OpenAPI do', () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, { operationId: string }>> };
  expect(Object.keys(client.ENDPOINTS).sort()).toEqual(routeList.map((r) => r.name).sort());
  for (const route of routeList) {
    expect([route.name, ...client.ENDPOINTS[route.name as client.EndpointName]]).toEqual([
      route.name,
      route.method,
      route.path,
    ]);
    expect(doc.paths[route.path]?.[route.method.toLowerCase()]?.operationId).toBe(route.name);
  }
});

it("types the BFF's known metadata keys, the writable attributes and every field of the password policy", () => {
  const metadata: Record<keyof T.ClientMetadataKeys, true> = { locale: true, redirectUri: true, app: true };
  expect(Object.keys(metadata).sort()).toEqual([...BUILTIN_METADATA_KEYS].sort());
  const writable: Record<keyof T.WritableAttributes, true> = { email: true, name: true, locale: true };
  expect(Object.keys(writable).sort()).toEqual([...defaultSettings.client.writeAttributes].sort());
  const policy: Record<
    Exclude<keyof T.PasswordPolicy, string & {}> | keyof typeof defaultSettings.passwordPolicy,
    true
  > = {
    minLength: true,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    tempPasswordValidityDays: true,
    passwordHistorySize: true,
  };
  expect(Object.keys(policy).sort()).toEqual(Object.keys(defaultSettings.passwordPolicy).sort());
});

/** Every string literal handed to an error's constructor as its code, in a directory of sources. */
function codesIn(dir: string, pattern: RegExp): Set<string> {
  const codes = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const match of text.matchAll(pattern)) codes.add(match[1] ?? '');
  }
  return codes;
}

it('has one ProblemCode for every code the functions, API Gateway and the local stack send', () => {
  const sent = new Set([
    ...codesIn('lambdas', /(?:Error|super)\(\s*'([A-Z][A-Za-z]+)'/g),
    ...GATEWAY_ANSWERS.map((answer) => answer.code),
    ...codesIn('local', /problem(?:Body)?\((?:\s*req,\s*res,)?\s*\d{3},\s*'([A-Z][A-Za-z]+)'/g),
  ]);
  expect(sent.size).toBeGreaterThan(25);
  expect([...client.PROBLEM_CODES].filter((c) => c !== 'Unknown').sort()).toEqual([...sent].sort());
});
