import {
  AdminResetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ApiDeps } from '../shared/cognito';
import { ADMIN_RESET_FLOW } from '../shared/config';
import type { BodyOf, ParamsOf, RouteRequest } from '../shared/http';
import type { adminRoutes } from './routes';

type Route = typeof adminRoutes.adminResetPassword;

/**
 * Requires a reset and ends the user's sessions: AdminResetUserPassword stops the password, not the
 * tokens already issued, so whoever held them is signed out everywhere too.
 */
export async function adminResetPassword(
  request: RouteRequest<BodyOf<Route>, ParamsOf<Route>>,
  { config, cognito }: ApiDeps,
) {
  const target = { UserPoolId: config.userPoolId, Username: request.params.username };
  await cognito.send(
    new AdminResetUserPasswordCommand({
      ...target,
      ClientMetadata: { ...request.body.clientMetadata, flow: ADMIN_RESET_FLOW },
    }),
  );
  await cognito.send(new AdminUserGlobalSignOutCommand(target));
}
