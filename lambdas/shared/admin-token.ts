/**
 * What an admin route checks beyond the access-token check every authenticated route makes (access-token.ts):
 * the admins group is matched exactly in the verified `cognito:groups` array (a group named `evil,admins`
 * grants nothing), and the token is confirmed live with GetUser, which refuses a token that GlobalSignOut or
 * RevokeToken revoked before it expired
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html).
 */
import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Claims } from './access-token';
import type { ApiDeps } from './cognito';
import { ForbiddenError } from './problem';

export type AdminCheck = (accessToken: string, claims: Claims) => Promise<void>;

export function adminTokenCheck(deps: ApiDeps): AdminCheck {
  const { adminGroupName } = deps.config;
  return async (accessToken, claims) => {
    const groups = claims['cognito:groups'];
    if (!Array.isArray(groups) || !groups.includes(adminGroupName)) {
      throw new ForbiddenError('Forbidden', 'This action is reserved to administrators.');
    }
    // A revoked token answers NotAuthorizedException: 401, like any invalid token.
    await deps.cognito.send(new GetUserCommand({ AccessToken: accessToken }));
  };
}
