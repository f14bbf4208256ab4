import {
  AdminCreateUserCommand,
  ChangePasswordCommand,
  GlobalSignOutCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { z } from 'zod/mini';
import { codeRefusal, hidesCodeRequestFailure, passwordCheckRefusal } from '../shared/cognito-errors';
import { type ApiDeps, maskedDelivery, userContextData } from '../shared/cognito';
import type { RouteRequest } from '../shared/http';
import { callerUsername, signInWithPassword } from '../shared/reauth';
import { toTokens } from '../auth/logic';
import type { changeBody, forgotBody, resetBody } from './schema';

type Req<S extends () => z.ZodMiniType> = RouteRequest<z.infer<ReturnType<S>>>;

/**
 * ForgotPassword's refusal of a user who was invited and never signed in (FORCE_CHANGE_PASSWORD): Cognito answers
 * NotAuthorizedException "User password cannot be reset in the current state." (field report #25.5; the same
 * text in https://github.com/aws-amplify/amplify-js/issues/2955 and
 * https://github.com/aws-amplify/amplify-flutter/issues/3048).
 */
const NOT_RESETTABLE = /cannot be reset in the current state/i;
const isInvitedNeverSignedIn = (error: unknown) =>
  error instanceof NotAuthorizedException && NOT_RESETTABLE.test(error.message);

/**
 * 202 with a destination masked from the username, for every user: real, unknown, unconfirmed, disabled, at the
 * per-user limit on code requests (then no mail goes out, and nothing says so), or invited and never signed in.
 * The last has no password to reset, so what helps is a fresh invitation: AdminCreateUser with
 * `MessageAction: RESEND`, the only admin call of this route, made only after Cognito refused ForgotPassword for
 * that state. Cognito sends it to the address on record, and refuses RESEND for a user in any other state
 * (UnsupportedUserStateException, https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html).
 */
export async function forgotPassword(request: Req<typeof forgotBody>, { config, cognito, secretHash }: ApiDeps) {
  const { username, clientMetadata } = request.body;
  try {
    await cognito.send(
      new ForgotPasswordCommand({
        ClientId: config.clientId,
        SecretHash: await secretHash(username),
        Username: username,
        ClientMetadata: clientMetadata,
        UserContextData: userContextData(request),
      }),
    );
  } catch (error) {
    if (isInvitedNeverSignedIn(error)) {
      try {
        await cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: config.userPoolId,
            Username: username,
            MessageAction: 'RESEND',
            DesiredDeliveryMediums: ['EMAIL'],
            ClientMetadata: clientMetadata,
          }),
        );
      } catch (resendError) {
        if (!hidesCodeRequestFailure(resendError, 'forgotPassword')) throw resendError;
      }
    } else if (!hidesCodeRequestFailure(error, 'forgotPassword')) {
      throw error;
    }
  }
  return { codeDelivery: maskedDelivery(username) };
}

/**
 * A wrong, expired or missing code answers the same whether or not the user exists or has a pending code, and
 * so does the fifth wrong one (codeRefusal): 400 CodeMismatch, "request a new code".
 */
export async function resetPassword(request: Req<typeof resetBody>, { config, cognito, secretHash }: ApiDeps) {
  const { username, code, password, clientMetadata } = request.body;
  try {
    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: config.clientId,
        SecretHash: await secretHash(username),
        Username: username,
        ConfirmationCode: code,
        Password: password,
        ClientMetadata: clientMetadata,
        UserContextData: userContextData(request),
      }),
    );
  } catch (error) {
    throw codeRefusal(error) ?? error;
  }
}

/**
 * Changes the password and ends every session, so a thief's tokens stop with the old password; the caller
 * is signed in again with the new password and gets fresh tokens (200). The username is read before the
 * sign-out revokes the token it comes from.
 */
export async function changePassword(request: Req<typeof changeBody>, deps: ApiDeps) {
  const { previousPassword, proposedPassword } = request.body;
  const username = await callerUsername(request, deps);
  try {
    await deps.cognito.send(
      new ChangePasswordCommand({
        AccessToken: request.accessToken,
        PreviousPassword: previousPassword,
        ProposedPassword: proposedPassword,
      }),
    );
  } catch (error) {
    // A wrong previous password is 403 IncorrectPassword, a lockout 429: not the 401 of a dead token.
    throw passwordCheckRefusal(error, deps.config.retryAfterSeconds) ?? error;
  }
  await deps.cognito.send(new GlobalSignOutCommand({ AccessToken: request.accessToken }));
  return toTokens(await signInWithPassword(request, deps, username, proposedPassword));
}
