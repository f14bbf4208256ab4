import { AdminResetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { z } from 'zod/mini';
import { ADMIN_RESET_FLOW } from '../../lib/settings';
import { cognito, userPoolId } from '../shared/cognito';
import type { RouteRequest, RouteResult } from '../shared/http';
import { ValidationError } from '../shared/problem';
import { username as usernameSchema } from '../shared/schema';
import type { adminResetBody } from './schema';

export async function adminResetPassword(
  request: RouteRequest<z.infer<ReturnType<typeof adminResetBody>>>,
): Promise<RouteResult> {
  const username = usernameSchema().safeParse(request.pathParameters.username);
  if (!username.success) throw new ValidationError([{ path: 'username', message: 'is not a valid username' }]);
  await cognito.send(
    new AdminResetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: username.data,
      ClientMetadata: { ...request.body.clientMetadata, flow: ADMIN_RESET_FLOW },
    }),
  );
  return { status: 202 };
}
