import {
  type AuthenticationResultType,
  ConfirmSignUpCommand,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod/mini';
import { type ApiDeps, maskedDelivery, toCodeDelivery, userContextData } from '../shared/cognito';
import { codeRefusal, hidesCodeRequestFailure, signInRefusal } from '../shared/cognito-errors';
import type { MailConfig } from '../shared/config';
import type { RouteRequest } from '../shared/http';
import { holdFloor } from '../shared/floor';
import { BadGatewayError } from '../shared/problem';
import type { confirmSignUpBody, newPasswordBody, refreshBody, resendBody, signInBody, signUpBody } from './schema';

type Req<S extends () => z.ZodMiniType> = RouteRequest<z.infer<ReturnType<S>>>;

const attributeList = (attributes: Record<string, string> | undefined) =>
  Object.entries(attributes ?? {}).map(([Name, Value]) => ({ Name, Value }));

/** The SignUp call of a sign-up request, with or without bff:hideDuplicateSignUp. */
const signUpCommand = async (request: Req<typeof signUpBody>, { config, secretHash }: ApiDeps) => {
  const { username, password, attributes, clientMetadata } = request.body;
  return new SignUpCommand({
    ClientId: config.clientId,
    SecretHash: await secretHash(username),
    Username: username,
    Password: password,
    UserAttributes: attributeList(attributes),
    ClientMetadata: clientMetadata,
    UserContextData: userContextData(request),
  });
};

export async function signUp(request: Req<typeof signUpBody>, deps: ApiDeps) {
  if (deps.config.mail) return signUpHidingDuplicates(request, deps, deps.config.mail);
  const answer = await deps.cognito.send(await signUpCommand(request, deps));
  return {
    userSub: answer.UserSub,
    userConfirmed: answer.UserConfirmed ?? false,
    ...(answer.CodeDeliveryDetails ? { codeDelivery: toCodeDelivery(answer.CodeDeliveryDetails) } : {}),
  };
}

/**
 * bff:hideDuplicateSignUp (the sign-up function gets the MAIL configuration only with it; OWASP's advice against
 * the sign-up oracle, Cognito's UsernameExistsException): a sign-up for an existing username answers exactly like
 * a new one (201, a random `userSub` that names no account, the destination masked from the username, as for a
 * new one) and never sooner than the response floor (bff:responseFloorMs), while the address's owner is mailed
 * that someone tried (ses.ts). Every other refusal (password policy, attributes) answers as without the setting:
 * it says nothing about the account.
 */
async function signUpHidingDuplicates(request: Req<typeof signUpBody>, deps: ApiDeps, mail: MailConfig) {
  const { config, cognito } = deps;
  const { username, clientMetadata } = request.body;
  const started = performance.now();
  try {
    const answer = await cognito.send(await signUpCommand(request, deps));
    return { userSub: answer.UserSub, userConfirmed: false, codeDelivery: maskedDelivery(username) };
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
    const { sendNotice } = await import('../shared/ses');
    const target = { mail, ...(config.sesEndpoint ? { endpoint: config.sesEndpoint } : {}) };
    await sendNotice(target, username, 'duplicateSignUp', clientMetadata?.locale);
    return { userSub: randomUUID(), userConfirmed: false, codeDelivery: maskedDelivery(username) };
  } finally {
    await holdFloor(started, config.responseFloorMs, 'signUp');
  }
}

/**
 * A wrong, expired or spent code answers the same for an unconfirmed, a confirmed and an unknown user, and so
 * does the fifth wrong one (codeRefusal): 400 CodeMismatch, "request a new code".
 */
export async function confirmSignUp(request: Req<typeof confirmSignUpBody>, { config, cognito, secretHash }: ApiDeps) {
  const { username, code, clientMetadata } = request.body;
  try {
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: config.clientId,
        SecretHash: await secretHash(username),
        Username: username,
        ConfirmationCode: code,
        ClientMetadata: clientMetadata,
        UserContextData: userContextData(request),
      }),
    );
  } catch (error) {
    throw codeRefusal(error) ?? error;
  }
}

/**
 * Same answer for unknown, unconfirmed and confirmed users, and for one who reached the per-user limit on code
 * requests (hidesCodeRequestFailure): 202 and a destination masked from the username.
 */
export async function resendSignUpCode(request: Req<typeof resendBody>, { config, cognito, secretHash }: ApiDeps) {
  const { username, clientMetadata } = request.body;
  try {
    await cognito.send(
      new ResendConfirmationCodeCommand({
        ClientId: config.clientId,
        SecretHash: await secretHash(username),
        Username: username,
        ClientMetadata: clientMetadata,
        UserContextData: userContextData(request),
      }),
    );
  } catch (error) {
    if (!hidesCodeRequestFailure(error, 'resendSignUpCode')) throw error;
  }
  return { codeDelivery: maskedDelivery(username) };
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

/**
 * A challenge carries the user's real username (`USER_ID_FOR_SRP`, the sub in this email-alias pool): the answer
 * must send it as USERNAME and in the SECRET_HASH, never the alias the user typed ("The value of the USERNAME
 * attribute must be the user's actual username, not an alias", API_RespondToAuthChallenge, ChallengeResponses:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html).
 */
function signInAnswer(
  answer: Pick<InitiateAuthCommandOutput, 'AuthenticationResult' | 'ChallengeName' | 'Session' | 'ChallengeParameters'>,
  typedUsername: string,
) {
  if (answer.ChallengeName) {
    const { USER_ID_FOR_SRP, USERNAME, ...parameters } = answer.ChallengeParameters ?? {};
    const username = USER_ID_FOR_SRP ?? USERNAME ?? typedUsername;
    return { challenge: { name: answer.ChallengeName, session: answer.Session ?? '', username, parameters } };
  }
  return toTokens(answer.AuthenticationResult);
}

/** A wrong password, an unknown user and a lockout answer alike (signInRefusal). */
export async function signIn(request: Req<typeof signInBody>, { config, cognito, secretHash }: ApiDeps) {
  const { username, password } = request.body;
  let answer: InitiateAuthCommandOutput;
  try {
    answer = await cognito.send(
      new InitiateAuthCommand({
        ClientId: config.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: await secretHash(username) },
        UserContextData: userContextData(request),
      }),
    );
  } catch (error) {
    throw signInRefusal(error) ?? error;
  }
  return signInAnswer(answer, username);
}

export async function respondNewPassword(
  request: Req<typeof newPasswordBody>,
  { config, cognito, secretHash }: ApiDeps,
) {
  const { username, session, newPassword } = request.body;
  const answer = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: config.clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword, SECRET_HASH: await secretHash(username) },
      UserContextData: userContextData(request),
    }),
  );
  return signInAnswer(answer, username);
}

/**
 * GetTokensFromRefreshToken takes the client secret itself, so no username is needed; the app client rotates
 * refresh tokens, so the answer carries the new one, and the one sent stops working after the grace period
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html).
 * A `username` in the body is accepted for older clients and ignored.
 */
export async function refresh(request: Req<typeof refreshBody>, { config, cognito, clientSecret }: ApiDeps) {
  const answer = await cognito.send(
    new GetTokensFromRefreshTokenCommand({
      ClientId: config.clientId,
      ClientSecret: await clientSecret(),
      RefreshToken: request.body.refreshToken,
    }),
  );
  return toTokens(answer.AuthenticationResult);
}

export async function signOut(request: RouteRequest<undefined>, { cognito }: ApiDeps) {
  await cognito.send(new GlobalSignOutCommand({ AccessToken: request.accessToken }));
}
