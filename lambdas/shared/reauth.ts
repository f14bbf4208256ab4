/**
 * Proving the caller knows the password, for the account changes a stolen access token alone must not make.
 * The check is a USER_PASSWORD_AUTH sign-in: it counts toward Cognito's lockout like any sign-in, and it
 * works under password history (ChangePassword(x, x) would not: "the password was used recently").
 */
import {
  type AuthenticationResultType,
  GetUserCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type ApiDeps, userContextData } from './cognito';
import { passwordCheckRefusal } from './cognito-errors';
import type { RouteRequest } from './http';

/** The caller's Cognito username (the sub in this pool): the token's `username` claim, else GetUser. */
export async function callerUsername(request: RouteRequest<unknown>, { cognito }: ApiDeps): Promise<string> {
  const claimed = request.claims?.username;
  if (typeof claimed === 'string' && claimed) return claimed;
  const answer = await cognito.send(new GetUserCommand({ AccessToken: request.accessToken }));
  return answer.Username ?? '';
}

/** Signs the caller in with `password`; a wrong one is Cognito's NotAuthorizedException (401). */
export async function signInWithPassword(
  request: RouteRequest<unknown>,
  deps: ApiDeps,
  username: string,
  password: string,
): Promise<AuthenticationResultType | undefined> {
  const answer = await deps.cognito.send(
    new InitiateAuthCommand({
      ClientId: deps.config.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: await deps.secretHash(username) },
      UserContextData: userContextData(request),
    }),
  );
  return answer.AuthenticationResult;
}

/**
 * Checks the caller's current password and leaves no session behind: the session the check opened is
 * revoked at once (RevokeToken ends its refresh token and the tokens issued with it). A wrong password is 403
 * IncorrectPassword, a lockout 429 (passwordCheckRefusal).
 */
export async function checkCurrentPassword(request: RouteRequest<unknown>, deps: ApiDeps, password: string) {
  const username = await callerUsername(request, deps);
  let result: AuthenticationResultType | undefined;
  try {
    result = await signInWithPassword(request, deps, username, password);
  } catch (error) {
    throw passwordCheckRefusal(error, deps.config.retryAfterSeconds) ?? error;
  }
  if (!result?.RefreshToken) return;
  await deps.cognito.send(
    new RevokeTokenCommand({
      ClientId: deps.config.clientId,
      ClientSecret: await deps.clientSecret(),
      Token: result.RefreshToken,
    }),
  );
}
