/** Route definitions of /admin: part of the route table (lambdas/routes.ts). */
import type { RouteDefinition } from '../shared/route';
import { adminResetAnswer, adminResetBody, adminResetParams } from './schema';

export const adminRoutes = {
  adminResetPassword: {
    name: 'adminResetPassword',
    method: 'POST',
    path: '/admin/users/{username}/password-reset',
    auth: 'admin',
    throttle: 'stage',
    entry: 'lambdas/admin/reset-password.ts',
    operation: 'AdminResetUserPassword',
    actions: [
      'cognito-idp:AdminResetUserPassword',
      'cognito-idp:AdminUserGlobalSignOut',
      // For a target the reset refuses: read its state, and resend an invitation to a never-signed-in user.
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminCreateUser',
    ],
    params: adminResetParams,
    schema: adminResetBody,
    optionalBody: true,
    status: 202,
    answer: adminResetAnswer,
    summary:
      "Administrators: require a user's password reset (a code is mailed, every session ends), or, for a person " +
      'invited who never signed in, resend the invitation. `action` says which.',
  },
} as const satisfies Record<string, RouteDefinition>;
