import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ApiDeps } from '../shared/cognito';
import { ADMIN_RESET_FLOW } from '../shared/config';
import type { BodyOf, ParamsOf, RouteRequest } from '../shared/http';
import { ConflictError } from '../shared/problem';
import type { adminRoutes } from './routes';

type Route = typeof adminRoutes.adminResetPassword;

/**
 * Requires a reset and ends the user's sessions: AdminResetUserPassword stops the password, not the
 * tokens already issued, so whoever held them is signed out everywhere too.
 *
 * Cognito refuses the reset with NotAuthorizedException ("User password cannot be reset in the current
 * state") for a user who cannot reset: that is about the target, not the administrator's credentials, so it
 * is never a 401. A person invited who never signed in (FORCE_CHANGE_PASSWORD) gets a fresh invitation
 * instead, which is what a reset means for them; any other state is a 409 naming it.
 */
export async function adminResetPassword(request: RouteRequest<BodyOf<Route>, ParamsOf<Route>>, deps: ApiDeps) {
  const { config, cognito } = deps;
  const target = { UserPoolId: config.userPoolId, Username: request.params.username };
  const clientMetadata = { ...request.body.clientMetadata, flow: ADMIN_RESET_FLOW };
  try {
    await cognito.send(new AdminResetUserPasswordCommand({ ...target, ClientMetadata: clientMetadata }));
  } catch (error) {
    if (!(error instanceof NotAuthorizedException)) throw error;
    return resetRefused(deps, target, request.body.clientMetadata, error);
  }
  await cognito.send(new AdminUserGlobalSignOutCommand(target));
  return { action: 'resetRequired' as const };
}

async function resetRefused(
  { cognito }: ApiDeps,
  target: { UserPoolId: string; Username: string },
  clientMetadata: Record<string, string> | undefined,
  cause: Error,
) {
  const user = await cognito.send(new AdminGetUserCommand(target));
  if (user?.Enabled === false) {
    throw new ConflictError('TargetDisabled', 'The account is disabled; enable it before resetting.', { cause });
  }
  if (user?.UserStatus === 'FORCE_CHANGE_PASSWORD') {
    // AdminCreateUser RESEND: a new temporary password, mailed only to the address on record
    // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html).
    await cognito.send(
      new AdminCreateUserCommand({
        ...target,
        MessageAction: 'RESEND',
        DesiredDeliveryMediums: ['EMAIL'],
        ...(clientMetadata ? { ClientMetadata: clientMetadata } : {}),
      }),
    );
    return { action: 'invitationResent' as const };
  }
  if (user?.UserStatus === 'UNCONFIRMED') {
    throw new ConflictError(
      'TargetNotConfirmed',
      'The account has not confirmed its sign-up yet: there is no password to reset.',
      { cause },
    );
  }
  throw new ConflictError('TargetStateUnsupported', 'The account is not in a state that allows a reset.', { cause });
}
