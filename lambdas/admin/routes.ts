/** Route definitions of /admin: part of the route table (lambdas/routes.ts). */
import type { RouteDefinition } from '../shared/route';
import { adminResetBody, adminResetParams } from './schema';

export const adminRoutes = {
  adminResetPassword: {
    name: 'adminResetPassword',
    method: 'POST',
    path: '/admin/users/{username}/password-reset',
    auth: 'admin',
    throttle: 'stage',
    entry: 'lambdas/admin/reset-password.ts',
    operation: 'AdminResetUserPassword',
    actions: ['cognito-idp:AdminResetUserPassword', 'cognito-idp:AdminUserGlobalSignOut'],
    params: adminResetParams,
    schema: adminResetBody,
    optionalBody: true,
    status: 202,
    summary: "Administrators: require a user's password reset, send them a code and sign them out everywhere.",
  },
} as const satisfies Record<string, RouteDefinition>;
