/**
 * THE route table: the single source of truth for the HTTP contract. The CDK API (lib/), the
 * local server (local/) and the OpenAPI document (lambdas/openapi.ts) are generated from it, and
 * each handler entry takes its auth and schema from here. No CDK import: bundles can include it.
 */
import type { z } from 'zod/mini';
import { adminResetBody } from './admin/schema';
import {
  codeDeliveryAnswer,
  confirmSignUpBody,
  newPasswordBody,
  refreshBody,
  resendBody,
  signInAnswer,
  signInBody,
  signUpAnswer,
  signUpBody,
  tokensAnswer,
} from './auth/schema';
import {
  meAnswer,
  updateAttributesAnswer,
  updateAttributesBody,
  verificationCodeAnswer,
  verificationCodeBody,
  verifyAttributeBody,
} from './me/schema';
import { changeBody, forgotAnswer, forgotBody, resetBody } from './password/schema';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway style, `{param}` for path parameters. */
  readonly path: string;
  /** `none`: public; `user`: Cognito access token; `admin`: access token of the admin group. */
  readonly auth: 'none' | 'user' | 'admin';
  /** Handler entry, relative to the project root; it exports `handler`. */
  readonly entry: string;
  readonly operation: string;
  /** IAM actions on this pool the function needs (token-authorized Cognito APIs need none). */
  readonly actions: readonly string[];
  readonly schema?: z.ZodMiniType;
  readonly optionalBody?: boolean;
  readonly status: number;
  readonly answer?: z.ZodMiniType;
  readonly summary: string;
}

/** Needed by every route that computes a SecretHash: the secret is read at cold start. */
const SECRET = 'cognito-idp:DescribeUserPoolClient';

export const routes = {
  signUp: {
    method: 'POST',
    path: '/auth/sign-up',
    auth: 'none',
    entry: 'lambdas/auth/sign-up.ts',
    operation: 'SignUp',
    actions: [SECRET],
    schema: signUpBody,
    status: 201,
    answer: signUpAnswer,
    summary: 'Create an account; a confirmation code is sent by email.',
  },
  confirmSignUp: {
    method: 'POST',
    path: '/auth/sign-up/confirm',
    auth: 'none',
    entry: 'lambdas/auth/confirm-sign-up.ts',
    operation: 'ConfirmSignUp',
    actions: [SECRET],
    schema: confirmSignUpBody,
    status: 204,
    summary: 'Confirm an account with the emailed code.',
  },
  resendSignUpCode: {
    method: 'POST',
    path: '/auth/sign-up/resend',
    auth: 'none',
    entry: 'lambdas/auth/resend-sign-up-code.ts',
    operation: 'ResendConfirmationCode',
    actions: [SECRET],
    schema: resendBody,
    status: 202,
    answer: codeDeliveryAnswer,
    summary: 'Send the confirmation code again (same answer whether or not the account exists).',
  },
  signIn: {
    method: 'POST',
    path: '/auth/sign-in',
    auth: 'none',
    entry: 'lambdas/auth/sign-in.ts',
    operation: 'InitiateAuth',
    actions: [SECRET],
    schema: signInBody,
    status: 200,
    answer: signInAnswer,
    summary: 'Sign in with username and password: tokens, or a challenge to answer.',
  },
  newPassword: {
    method: 'POST',
    path: '/auth/new-password',
    auth: 'none',
    entry: 'lambdas/auth/new-password.ts',
    operation: 'RespondToAuthChallenge',
    actions: [SECRET],
    schema: newPasswordBody,
    status: 200,
    answer: tokensAnswer,
    summary: 'Answer NEW_PASSWORD_REQUIRED (accounts created by an administrator).',
  },
  refresh: {
    method: 'POST',
    path: '/auth/refresh',
    auth: 'none',
    entry: 'lambdas/auth/refresh.ts',
    operation: 'InitiateAuth',
    actions: [SECRET],
    schema: refreshBody,
    status: 200,
    answer: tokensAnswer,
    summary: 'New access and id tokens from a refresh token.',
  },
  signOut: {
    method: 'POST',
    path: '/auth/sign-out',
    auth: 'user',
    entry: 'lambdas/auth/sign-out.ts',
    operation: 'GlobalSignOut',
    actions: [],
    status: 204,
    summary: 'Sign out everywhere: every refresh token of the user is revoked.',
  },
  forgotPassword: {
    method: 'POST',
    path: '/password/forgot',
    auth: 'none',
    entry: 'lambdas/password/forgot.ts',
    operation: 'ForgotPassword',
    actions: [SECRET],
    schema: forgotBody,
    status: 202,
    answer: forgotAnswer,
    summary: 'Send a reset code (same answer whether or not the account exists).',
  },
  resetPassword: {
    method: 'POST',
    path: '/password/reset',
    auth: 'none',
    entry: 'lambdas/password/reset.ts',
    operation: 'ConfirmForgotPassword',
    actions: [SECRET],
    schema: resetBody,
    status: 204,
    summary: 'Set a new password with the emailed code.',
  },
  changePassword: {
    method: 'POST',
    path: '/password/change',
    auth: 'user',
    entry: 'lambdas/password/change.ts',
    operation: 'ChangePassword',
    actions: [],
    schema: changeBody,
    status: 204,
    summary: 'Change the password of the signed-in user.',
  },
  adminResetPassword: {
    method: 'POST',
    path: '/admin/users/{username}/password-reset',
    auth: 'admin',
    entry: 'lambdas/admin/reset-password.ts',
    operation: 'AdminResetUserPassword',
    actions: ['cognito-idp:AdminResetUserPassword'],
    schema: adminResetBody,
    optionalBody: true,
    status: 202,
    summary: "Administrators: require a user's password reset and send them a code.",
  },
  getMe: {
    method: 'GET',
    path: '/me',
    auth: 'user',
    entry: 'lambdas/me/get.ts',
    operation: 'GetUser',
    actions: [],
    status: 200,
    answer: meAnswer,
    summary: 'The signed-in user: username and attributes.',
  },
  updateAttributes: {
    method: 'PATCH',
    path: '/me/attributes',
    auth: 'user',
    entry: 'lambdas/me/update-attributes.ts',
    operation: 'UpdateUserAttributes',
    actions: [],
    schema: updateAttributesBody,
    status: 200,
    answer: updateAttributesAnswer,
    summary: 'Update attributes; a new email stays pending until verified.',
  },
  verifyAttribute: {
    method: 'POST',
    path: '/me/attributes/verify',
    auth: 'user',
    entry: 'lambdas/me/verify-attribute.ts',
    operation: 'VerifyUserAttribute',
    actions: [],
    schema: verifyAttributeBody,
    status: 204,
    summary: 'Verify an attribute (email) with the emailed code.',
  },
  sendVerificationCode: {
    method: 'POST',
    path: '/me/attributes/verification-code',
    auth: 'user',
    entry: 'lambdas/me/send-verification-code.ts',
    operation: 'GetUserAttributeVerificationCode',
    actions: [],
    schema: verificationCodeBody,
    status: 202,
    answer: verificationCodeAnswer,
    summary: 'Send a verification code for an attribute (email).',
  },
  deleteMe: {
    method: 'DELETE',
    path: '/me',
    auth: 'user',
    entry: 'lambdas/me/delete.ts',
    operation: 'DeleteUser',
    actions: [],
    status: 204,
    summary: 'Delete the signed-in user.',
  },
} as const satisfies Record<string, RouteDefinition>;

export type RouteName = keyof typeof routes;

export const routeList = Object.entries(routes).map(([name, route]) => ({ name, ...route })) as readonly (RouteDefinition & {
  readonly name: RouteName;
})[];
