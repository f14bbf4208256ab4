import {
  ChangePasswordCommand,
  GlobalSignOutCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InvalidParameterException,
  NotAuthorizedException,
  UserNotConfirmedException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { z } from 'zod/mini';
import { isSecretError } from '../shared/cognito-errors';
import { type ApiDeps, simulatedDelivery, toCodeDelivery, userContextData } from '../shared/cognito';
import type { RouteRequest } from '../shared/http';
import { callerUsername, signInWithPassword } from '../shared/reauth';
import { toTokens } from '../auth/logic';
import { BadRequestError } from '../shared/problem';
import type { changeBody, forgotBody, resetBody } from './schema';

type Req<S extends () => z.ZodMiniType> = RouteRequest<z.infer<ReturnType<S>>>;

/**
 * Same status and shape for a real, an unknown and an unconfirmed user. PreventUserExistenceErrors
 * covers unknown users; the rest is mapped here in case the client is ever set to LEGACY.
 */
const hidesUser = (error: unknown) =>
  error instanceof UserNotFoundException ||
  error instanceof UserNotConfirmedException ||
  error instanceof InvalidParameterException ||
  (error instanceof NotAuthorizedException && !isSecretError(error));

export async function forgotPassword(request: Req<typeof forgotBody>, { config, cognito, secretHash }: ApiDeps) {
  const { username, clientMetadata } = request.body;
  try {
    const answer = await cognito.send(
      new ForgotPasswordCommand({
        ClientId: config.clientId,
        SecretHash: await secretHash(username),
        Username: username,
        ClientMetadata: clientMetadata,
        UserContextData: userContextData(request),
      }),
    );
    return { codeDelivery: toCodeDelivery(answer.CodeDeliveryDetails) };
  } catch (error) {
    if (hidesUser(error)) return { codeDelivery: simulatedDelivery(username) };
    throw error;
  }
}

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
    if (error instanceof UserNotFoundException || error instanceof UserNotConfirmedException) {
      throw new BadRequestError('CodeMismatch', 'The code is not valid.', { cause: error });
    }
    throw error;
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
  await deps.cognito.send(
    new ChangePasswordCommand({
      AccessToken: request.accessToken,
      PreviousPassword: previousPassword,
      ProposedPassword: proposedPassword,
    }),
  );
  await deps.cognito.send(new GlobalSignOutCommand({ AccessToken: request.accessToken }));
  return toTokens(await signInWithPassword(request, deps, username, proposedPassword));
}
