/** Route definitions of /admin: part of the route table (lambdas/routes.ts). */
import type { RouteDefinition } from '../shared/route';
import { adminResetBody } from './schema';

export const adminRoutes = {
  adminResetPassword: {
    name: 'adminResetPassword',
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
} as const satisfies Record<string, RouteDefinition>;
