import { AdminResetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { ApiDeps } from '../shared/cognito';
import { ADMIN_RESET_FLOW } from '../shared/config';
import type { BodyOf, ParamsOf, RouteRequest } from '../shared/http';
import type { adminRoutes } from './routes';

type Route = typeof adminRoutes.adminResetPassword;

export async function adminResetPassword(
  request: RouteRequest<BodyOf<Route>, ParamsOf<Route>>,
  { config, cognito }: ApiDeps,
) {
  await cognito.send(
    new AdminResetUserPasswordCommand({
      UserPoolId: config.userPoolId,
      Username: request.params.username,
      ClientMetadata: { ...request.body.clientMetadata, flow: ADMIN_RESET_FLOW },
    }),
  );
}
