/** Route definitions of /password: part of the route table (lambdas/routes.ts). */
import { SECRET_ACTION, type RouteDefinition } from '../shared/route';
import { tokens } from '../shared/schema';
import { changeBody, forgotAnswer, forgotBody, resetBody } from './schema';

export const passwordRoutes = {
  forgotPassword: {
    name: 'forgotPassword',
    method: 'POST',
    path: '/password/forgot',
    auth: 'none',
    throttle: 'strict',
    entry: 'lambdas/password/forgot.ts',
    operation: 'ForgotPassword',
    // AdminCreateUser only to resend an invitation (MessageAction RESEND) to a user who never signed in.
    actions: [SECRET_ACTION, 'cognito-idp:AdminCreateUser'],
    hidesUser: true,
    schema: forgotBody,
    status: 202,
    answer: forgotAnswer,
    summary:
      'Send a reset code, or a fresh invitation to an invited user who never signed in (the same answer for ' +
      'every username, whether or not the account exists).',
  },
  resetPassword: {
    name: 'resetPassword',
    method: 'POST',
    path: '/password/reset',
    auth: 'none',
    throttle: 'strict',
    entry: 'lambdas/password/reset.ts',
    operation: 'ConfirmForgotPassword',
    actions: [SECRET_ACTION],
    hidesUser: true,
    schema: resetBody,
    status: 204,
    summary: 'Set a new password with the emailed code.',
  },
  changePassword: {
    name: 'changePassword',
    method: 'POST',
    path: '/password/change',
    auth: 'user',
    throttle: 'strict',
    entry: 'lambdas/password/change.ts',
    operation: 'ChangePassword',
    // The new sign-in's SecretHash needs the app client secret.
    actions: [SECRET_ACTION],
    session: 'issue',
    schema: changeBody,
    status: 200,
    answer: tokens,
    summary: 'Change the password: every session ends, and the caller gets fresh tokens for a new one.',
  },
} as const satisfies Record<string, RouteDefinition>;
