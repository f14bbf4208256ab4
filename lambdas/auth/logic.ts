import {
  type AuthenticationResultType,
  ConfirmSignUpCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  InvalidParameterException,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { z } from 'zod/mini';
import { clientId, cognito, secretHash, simulatedDelivery, toCodeDelivery, userContextData } from '../shared/cognito';
import type { RouteRequest, RouteResult } from '../shared/http';
import { BadGatewayError } from '../shared/problem';
import type { confirmSignUpBody, newPasswordBody, refreshBody, resendBody, signInBody, signUpBody } from './schema';

type Req<S extends () => z.ZodMiniType> = RouteRequest<z.infer<ReturnType<S>>>;

const attributeList = (attributes: Record<string, string> | undefined) =>
  Object.entries(attributes ?? {}).map(([Name, Value]) => ({ Name, Value }));

export async function signUp(request: Req<typeof signUpBody>): Promise<RouteResult> {
  const { username, password, attributes, clientMetadata } = request.body;
  const answer = await cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      SecretHash: await secretHash(username),
      Username: username,
      Password: password,
      UserAttributes: attributeList(attributes),
      ClientMetadata: clientMetadata,
      UserContextData: userContextData(request),
    }),
  );
  return {
    status: 201,
    body: {
      userSub: answer.UserSub,
      userConfirmed: answer.UserConfirmed ?? false,
      ...(answer.CodeDeliveryDetails ? { codeDelivery: toCodeDelivery(answer.CodeDeliveryDetails) } : {}),
    },
  };
}

export async function confirmSignUp(request: Req<typeof confirmSignUpBody>): Promise<RouteResult> {
  const { username, code, clientMetadata } = request.body;
  await cognito.send(
    new ConfirmSignUpCommand({
      ClientId: clientId,
      SecretHash: await secretHash(username),
      Username: username,
      ConfirmationCode: code,
      ClientMetadata: clientMetadata,
      UserContextData: userContextData(request),
    }),
  );
  return { status: 204 };
}

/** Same answer for unknown, unconfirmed and confirmed users: nothing to enumerate. */
export async function resendSignUpCode(request: Req<typeof resendBody>): Promise<RouteResult> {
  const { username, clientMetadata } = request.body;
  try {
    const answer = await cognito.send(
      new ResendConfirmationCodeCommand({
        ClientId: clientId,
        SecretHash: await secretHash(username),
        Username: username,
        ClientMetadata: clientMetadata,
        UserContextData: userContextData(request),
      }),
    );
    return { status: 202, body: { codeDelivery: toCodeDelivery(answer.CodeDeliveryDetails) } };
  } catch (error) {
    if (error instanceof UserNotFoundException || error instanceof InvalidParameterException) {
      return { status: 202, body: { codeDelivery: simulatedDelivery(username) } };
    }
    throw error;
  }
}

export function toTokens(result: AuthenticationResultType | undefined) {
  if (!result?.AccessToken || !result.IdToken) {
    throw new BadGatewayError('Upstream', 'The identity provider returned no tokens.');
  }
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
    expiresIn: result.ExpiresIn ?? 3600,
    tokenType: result.TokenType ?? 'Bearer',
  };
}

function signInAnswer(
  answer: Pick<InitiateAuthCommandOutput, 'AuthenticationResult' | 'ChallengeName' | 'Session' | 'ChallengeParameters'>,
): RouteResult {
  if (answer.ChallengeName) {
    const { USER_ID_FOR_SRP: _internal, ...parameters } = answer.ChallengeParameters ?? {};
    return {
      status: 200,
      body: { challenge: { name: answer.ChallengeName, session: answer.Session ?? '', parameters } },
    };
  }
  return { status: 200, body: toTokens(answer.AuthenticationResult) };
}

export async function signIn(request: Req<typeof signInBody>): Promise<RouteResult> {
  const { username, password } = request.body;
  const answer = await cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: await secretHash(username) },
      UserContextData: userContextData(request),
    }),
  );
  return signInAnswer(answer);
}

export async function respondNewPassword(request: Req<typeof newPasswordBody>): Promise<RouteResult> {
  const { username, session, newPassword } = request.body;
  const answer = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword, SECRET_HASH: await secretHash(username) },
      UserContextData: userContextData(request),
    }),
  );
  return signInAnswer(answer);
}

export async function refresh(request: Req<typeof refreshBody>): Promise<RouteResult> {
  const { refreshToken, username } = request.body;
  const answer = await cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: refreshToken, SECRET_HASH: await secretHash(username) },
      UserContextData: userContextData(request),
    }),
  );
  return { status: 200, body: toTokens(answer.AuthenticationResult) };
}

export async function signOut(request: RouteRequest<undefined>): Promise<RouteResult> {
  await cognito.send(new GlobalSignOutCommand({ AccessToken: request.accessToken }));
  return { status: 204 };
}
