/** The public (client-id or access-token) operations of the local Cognito, one function each. */
import { checkAttributes, isVerified, readableBy, schemaOf } from './attributes';
import { isLiveSecret } from './client-secrets';
import { allowsFlow } from './clients';
import { checkCode, countCodeRequest, deliverNewCode } from './codes';
import { checkPasswordPolicy, checkSecretHash, passwordMatches } from './credentials';
import { hashPassword } from './crypto';
import type { Engine } from './engine';
import { checkPasswordHistory, setPassword } from './history';
import { type Input, attributeList, isEmail, optStr, record, str } from './input';
import { checkSignInLock, clearLockout, countPasswordChange, recordFailedSignIn } from './lockouts';
import { type Delivery, type DeliveryDetails, maskEmail } from './messages';
import type { CodePurpose, StoredClient, StoredPool, StoredUser } from './model';
import { CognitoError, err, own, put } from './model';
import { authenticate, endAllSessions, endSession, issueTokens, newChallengeSession, verifyToken } from './tokens';
import { rotates } from './refresh';
import { postConfirmation } from './triggers';
import { updateAttributes } from './updates';
import { findUser, newUser, preventsExistenceErrors, withUsernameEmail } from './users';

export type Operation = (engine: Engine, input: Input) => Promise<unknown>;

/** The pool, client and user that a code request names by ClientId and Username, once its SecretHash checks out. */
function codeRequest(engine: Engine, input: Input) {
  const { pool, client } = engine.client(str(input, 'ClientId', 128));
  const username = str(input, 'Username', 128);
  checkSecretHash(client, [username], input.SecretHash);
  return { pool, client, username, user: findUser(pool, username) };
}

/**
 * Cognito's answer to a code request for a user that does not exist: where the client hides which
 * users exist, a pretend delivery to the address the username suggests; otherwise UserNotFound.
 */
function unknownUserDelivery(client: StoredClient, username: string) {
  if (!preventsExistenceErrors(client)) throw err.userNotFound();
  const guess = isEmail(username) ? username : `${username}@example.com`;
  return { CodeDeliveryDetails: { Destination: maskEmail(guess), DeliveryMedium: 'EMAIL', AttributeName: 'email' } };
}

function requireVerifiedEmail(user: StoredUser): string {
  const email = user.attributes.email;
  if (!email || !isVerified(user.attributes, 'email')) {
    throw err.invalidParameter(
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  }
  return email;
}

/**
 * A code the user asked for: counted against the per-user hourly limit, then sent and saved;
 * answers where it went. ClientMetadata is read after counting, so a malformed one still counts.
 */
async function sendRequestedCode(
  engine: Engine,
  input: Input,
  purpose: CodePurpose,
  delivery: Omit<Delivery, 'clientMetadata'>,
): Promise<{ CodeDeliveryDetails: DeliveryDetails }> {
  countCodeRequest(engine, delivery.user);
  const { details, save } = await deliverNewCode(engine, purpose, {
    ...delivery,
    clientMetadata: record(input, 'ClientMetadata'),
  });
  save();
  await engine.store.commit();
  return { CodeDeliveryDetails: details };
}

/**
 * Checks the whole request first (password, attributes against the schema and the client's
 * WriteAttributes, required attributes, a free username), then hashes and sends the code, then
 * checks the username again (a concurrent sign-up may have taken it during the awaits) and stores
 * the user. The code goes out only where the pool auto-verifies email; otherwise the user waits
 * for AdminConfirmSignUp, and the answer has no CodeDeliveryDetails.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html
 */
const SignUp: Operation = async (engine, input) => {
  const { pool, client } = engine.client(str(input, 'ClientId', 128));
  const username = str(input, 'Username', 128);
  const password = str(input, 'Password', 256);
  checkSecretHash(client, [username], input.SecretHash);
  const given = checkAttributes(pool, attributeList(input, 'UserAttributes'), { mode: 'create', client });
  const attributes = withUsernameEmail(pool, username, given);
  checkAttributes(pool, attributes, { mode: 'create', requireRequired: true });
  checkPasswordPolicy(pool, password);
  if (findUser(pool, username)) throw err.usernameExists();
  const passwordHash = await hashPassword(password);
  const user = newUser(pool, username, {
    attributes: { ...attributes, ...(attributes.email ? { email_verified: 'false' } : {}) },
    status: 'UNCONFIRMED',
    passwordHash,
    now: engine.now(),
  });
  const sendsCode = user.attributes.email !== undefined && pool.autoVerifiedAttributes.includes('email');
  const delivery = sendsCode
    ? await deliverNewCode(engine, 'signUp', {
        pool,
        clientId: client.clientId,
        user,
        triggerSource: 'CustomMessage_SignUp',
        to: user.attributes.email as string,
        clientMetadata: record(input, 'ClientMetadata'),
      })
    : undefined;
  if (findUser(pool, username)) throw err.usernameExists();
  delivery?.save();
  put(pool.users, user.username, user);
  await engine.store.commit();
  // SignUp refuses a `sub` attribute above, so this is the one newUser made.
  return {
    UserConfirmed: false,
    UserSub: user.attributes.sub,
    ...(delivery ? { CodeDeliveryDetails: delivery.details } : {}),
  };
};

const ConfirmSignUp: Operation = async (engine, input) => {
  const { pool, client } = engine.client(str(input, 'ClientId', 128));
  const username = str(input, 'Username', 128);
  const code = str(input, 'ConfirmationCode', 2048);
  checkSecretHash(client, [username], input.SecretHash);
  const user = findUser(pool, username);
  if (!user) throw preventsExistenceErrors(client) ? err.codeMismatch() : err.userNotFound();
  if (user.status !== 'UNCONFIRMED') {
    throw err.notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  }
  const consume = checkCode(engine, user, 'signUp', code);
  consume();
  user.status = 'CONFIRMED';
  // The code went to the email address, so confirming it verifies the address.
  if (user.attributes.email && pool.autoVerifiedAttributes.includes('email')) user.attributes.email_verified = 'true';
  user.updatedAt = engine.now();
  await engine.store.commit();
  // Like Cognito, the user stays confirmed when PostConfirmation then fails; the error is reported.
  await postConfirmation(engine, pool, client.clientId, user, 'ConfirmSignUp', record(input, 'ClientMetadata'));
  return {};
};

const ResendConfirmationCode: Operation = async (engine, input) => {
  const { pool, client, username, user } = codeRequest(engine, input);
  if (!user) return unknownUserDelivery(client, username);
  if (user.status !== 'UNCONFIRMED') throw err.invalidParameter('User is already confirmed.');
  const to = user.attributes.email;
  if (!to) throw err.invalidParameter('User has no email to deliver a code to.');
  return sendRequestedCode(engine, input, 'signUp', {
    pool,
    clientId: client.clientId,
    user,
    triggerSource: 'CustomMessage_ResendCode',
    to,
  });
};

async function passwordAuth(engine: Engine, pool: StoredPool, clientId: string, params: Record<string, string>) {
  const { client } = engine.client(clientId, pool.id);
  if (!allowsFlow(client, 'USER_PASSWORD_AUTH')) {
    throw err.invalidParameter('USER_PASSWORD_AUTH flow not enabled for this client');
  }
  const username = params.USERNAME;
  const password = params.PASSWORD;
  if (!username) throw err.invalidParameter('Missing required parameter USERNAME');
  if (!password) throw err.invalidParameter('Missing required parameter PASSWORD');
  checkSecretHash(client, [username], params.SECRET_HASH);
  const user = findUser(pool, username);
  checkSignInLock(user, engine.now());
  const matches = await passwordMatches(user, password);
  if (!user) {
    throw preventsExistenceErrors(client) ? err.notAuthorized() : err.userNotFound();
  }
  if (!matches) {
    recordFailedSignIn(user, engine.now());
    await engine.store.commit();
    throw err.notAuthorized();
  }
  if (!user.enabled) throw err.notAuthorized('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw err.userNotConfirmed();
  if (user.status === 'RESET_REQUIRED') throw err.passwordResetRequired();
  clearLockout(user);
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    if (user.tempPasswordExpiresAt !== undefined && user.tempPasswordExpiresAt <= engine.now()) {
      throw err.notAuthorized('Temporary password has expired and must be reset by an administrator.');
    }
    const session = newChallengeSession(engine, pool, client, user);
    await engine.store.commit();
    const { sub: _sub, ...attrs } = user.attributes;
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeParameters: {
        USER_ID_FOR_SRP: user.username,
        requiredAttributes: '[]',
        userAttributes: JSON.stringify(attrs),
      },
    };
  }
  const result = issueTokens(engine, pool, client, user);
  await engine.store.commit();
  return { AuthenticationResult: result, ChallengeParameters: {} };
}

const InitiateAuth: Operation = async (engine, input) => {
  const { pool, client } = engine.client(str(input, 'ClientId', 128));
  const flow = str(input, 'AuthFlow');
  const params = record(input, 'AuthParameters') ?? {};
  if (flow === 'USER_PASSWORD_AUTH') return passwordAuth(engine, pool, client.clientId, params);
  if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
    if (!allowsFlow(client, 'REFRESH_TOKEN_AUTH')) {
      throw err.invalidParameter('REFRESH_TOKEN_AUTH flow not enabled for this client');
    }
    // "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token rotation enabled"
    // (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html).
    if (rotates(client)) {
      throw err.invalidParameter('Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken');
    }
    const auth = verifyToken(engine, params.REFRESH_TOKEN, 'refresh');
    if (auth.pool.id !== pool.id || auth.claims.client_id !== client.clientId) {
      throw err.notAuthorized('Invalid Refresh Token');
    }
    const named = params.USERNAME ? findUser(pool, params.USERNAME) : undefined;
    const names = named === auth.user && params.USERNAME ? [params.USERNAME, auth.user.username] : [auth.user.username];
    checkSecretHash(client, names, params.SECRET_HASH);
    if (auth.user.status === 'RESET_REQUIRED') throw err.passwordResetRequired();
    const result = issueTokens(engine, pool, client, auth.user, auth.claims.origin_jti as string);
    return { AuthenticationResult: result, ChallengeParameters: {} };
  }
  throw err.invalidParameter(`Unsupported AuthFlow ${flow} in the local Cognito`);
};

/**
 * NEW_PASSWORD_REQUIRED, answered with the user's real username: USERNAME "must be the user's
 * actual username, not an alias" (API_RespondToAuthChallenge), i.e. the USER_ID_FOR_SRP of the
 * challenge (the sub in a pool that signs in with email), and the SECRET_HASH is computed over that
 * username too: Cognito verifies it against the user the session belongs to, so a hash over the
 * email is "Unable to verify secret hash for client" (field reports: aws-amplify/aws-sdk-android#2265,
 * qwigo/warrant#74). The new password is checked before anything changes.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
const RespondToAuthChallenge: Operation = async (engine, input) => {
  const { pool, client } = engine.client(str(input, 'ClientId', 128));
  const name = str(input, 'ChallengeName');
  if (name !== 'NEW_PASSWORD_REQUIRED') {
    throw err.invalidParameter(`Unsupported challenge ${name} in the local Cognito`);
  }
  const session = str(input, 'Session', 2048);
  const responses = record(input, 'ChallengeResponses') ?? {};
  const username = responses.USERNAME;
  const password = responses.NEW_PASSWORD;
  if (!username) throw err.invalidParameter('Missing required parameter USERNAME');
  if (!password) throw err.invalidParameter('Missing required parameter NEW_PASSWORD');
  const challenge = own(pool.challenges, session);
  const live = () => {
    const current = own(pool.challenges, session);
    return current && current.expiresAt > engine.now() && current.clientId === client.clientId ? current : undefined;
  };
  if (!challenge || !live()) {
    checkSecretHash(client, [username], responses.SECRET_HASH);
    throw err.notAuthorized('Invalid session for the user, session is expired.');
  }
  checkSecretHash(client, [challenge.username], responses.SECRET_HASH);
  const user = own(pool.users, challenge.username);
  if (!user || username.toLowerCase() !== challenge.username.toLowerCase()) {
    throw err.notAuthorized('Invalid session for the user.');
  }
  const usable = () => {
    if (!user.enabled) throw err.notAuthorized('User is disabled.');
    if (user.status !== 'FORCE_CHANGE_PASSWORD') throw err.notAuthorized('Invalid session for the user.');
  };
  usable();
  checkPasswordPolicy(pool, password);
  await checkPasswordHistory(pool, user, password);
  const passwordHash = await hashPassword(password);
  // Checked again after the await: the session may have been used, or the user disabled, meanwhile.
  if (!live()) throw err.notAuthorized('Invalid session for the user, session is expired.');
  usable();
  setPassword(user, passwordHash);
  user.status = 'CONFIRMED';
  delete user.tempPasswordExpiresAt;
  delete pool.challenges[session];
  user.updatedAt = engine.now();
  const result = issueTokens(engine, pool, client, user);
  await engine.store.commit();
  return { AuthenticationResult: result, ChallengeParameters: {} };
};

/**
 * A password a user can reset: not while disabled, and not before they ever chose one. A user
 * whom an administrator invited and who never signed in (FORCE_CHANGE_PASSWORD) "can't use the
 * ForgotPassword API and they don't receive the verification code"
 * (https://repost.aws/knowledge-center/cognito-forgot-password): NotAuthorizedException, the same
 * words as AdminResetUserPassword's for that state. Their way in is the invitation (AdminCreateUser
 * with MessageAction RESEND).
 */
function checkResettable(user: StoredUser): void {
  if (!user.enabled) throw err.notAuthorized('User is disabled.');
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    throw err.notAuthorized('User password cannot be reset in the current state.');
  }
}

/**
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html
 * "If neither a verified phone number nor a verified email exists, Amazon Cognito responds with an
 * InvalidParameterException error": so an UNCONFIRMED user (whose email is not verified) gets that.
 */
const ForgotPassword: Operation = async (engine, input) => {
  const { pool, client, username, user } = codeRequest(engine, input);
  if (!user) return unknownUserDelivery(client, username);
  checkResettable(user);
  const to = requireVerifiedEmail(user);
  return sendRequestedCode(engine, input, 'forgotPassword', {
    pool,
    clientId: client.clientId,
    user,
    triggerSource: 'CustomMessage_ForgotPassword',
    to,
  });
};

const ConfirmForgotPassword: Operation = async (engine, input) => {
  const { pool, client } = engine.client(str(input, 'ClientId', 128));
  const username = str(input, 'Username', 128);
  const code = str(input, 'ConfirmationCode', 2048);
  const password = str(input, 'Password', 256);
  checkSecretHash(client, [username], input.SecretHash);
  const user = findUser(pool, username);
  if (!user) throw preventsExistenceErrors(client) ? err.codeMismatch() : err.userNotFound();
  checkResettable(user);
  if (user.status === 'UNCONFIRMED') throw err.userNotConfirmed();
  const consume = checkCode(engine, user, 'forgotPassword', code);
  checkPasswordPolicy(pool, password);
  // A reused password leaves the code unused, like a password the policy refuses.
  await checkPasswordHistory(pool, user, password);
  const passwordHash = await hashPassword(password);
  consume();
  setPassword(user, passwordHash);
  user.status = 'CONFIRMED';
  clearLockout(user);
  user.updatedAt = engine.now();
  await engine.store.commit();
  await postConfirmation(engine, pool, client.clientId, user, 'ConfirmForgotPassword', record(input, 'ClientMetadata'));
  return {};
};

/**
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ChangePassword.html
 * Counted against the per-user quota first (lockouts.ts), then the previous password is checked, then the
 * proposed one against the policy and the password history (history.ts).
 */
const ChangePassword: Operation = async (engine, input) => {
  const previous = str(input, 'PreviousPassword', 256);
  const proposed = str(input, 'ProposedPassword', 256);
  const { pool, user } = authenticate(engine, str(input, 'AccessToken', 4096));
  countPasswordChange(user, engine.now(), engine.limitWindowMs);
  if (!(await passwordMatches(user, previous))) {
    await engine.store.commit();
    throw err.notAuthorized();
  }
  checkPasswordPolicy(pool, proposed);
  await checkPasswordHistory(pool, user, proposed);
  setPassword(user, await hashPassword(proposed));
  user.updatedAt = engine.now();
  await engine.store.commit();
  return {};
};

/**
 * The attributes the token's app client may read: its ReadAttributes, or by default the standard
 * ones and the `*_verified` flags ("their access token authorizes them to read their own attribute
 * value for any attribute in this list").
 */
const GetUser: Operation = async (engine, input) => {
  const { pool, user, claims } = authenticate(engine, str(input, 'AccessToken', 4096));
  const { client } = engine.client(claims.client_id, pool.id);
  const schema = schemaOf(pool);
  return {
    Username: user.username,
    UserAttributes: Object.entries(user.attributes)
      .filter(([name]) => Object.hasOwn(schema, name) && readableBy(client, name))
      .map(([Name, Value]) => ({ Name, Value })),
  };
};

/** See updates.ts: the whole request is checked before anything changes. */
const UpdateUserAttributes: Operation = async (engine, input) => {
  const { pool, user, claims } = authenticate(engine, str(input, 'AccessToken', 4096));
  const { client } = engine.client(claims.client_id, pool.id);
  const deliveries = await updateAttributes(engine, pool, user, attributeList(input, 'UserAttributes'), {
    client,
    clientId: client.clientId,
    clientMetadata: record(input, 'ClientMetadata'),
  });
  await engine.store.commit();
  return { CodeDeliveryDetailsList: deliveries };
};

const GetUserAttributeVerificationCode: Operation = async (engine, input) => {
  const { pool, user, claims } = authenticate(engine, str(input, 'AccessToken', 4096));
  const attribute = str(input, 'AttributeName', 32);
  if (attribute !== 'email') throw err.invalidParameter(`Verification of ${attribute} is not supported.`);
  const to = user.pendingAttributes.email ?? user.attributes.email;
  if (!to) throw err.invalidParameter('User has no email to verify.');
  return sendRequestedCode(engine, input, 'verify:email', {
    pool,
    clientId: String(claims.client_id),
    user,
    triggerSource: 'CustomMessage_VerifyUserAttribute',
    to,
  });
};

const VerifyUserAttribute: Operation = async (engine, input) => {
  const { pool, user } = authenticate(engine, str(input, 'AccessToken', 4096));
  const attribute = str(input, 'AttributeName', 32);
  const code = str(input, 'Code', 2048);
  if (attribute !== 'email') throw err.invalidParameter(`Verification of ${attribute} is not supported.`);
  const consume = checkCode(engine, user, 'verify:email', code);
  const pending = user.pendingAttributes.email;
  if (pending) {
    const other = findUser(pool, pending);
    if (other && other !== user) throw err.aliasExists();
    user.attributes.email = pending;
    delete user.pendingAttributes.email;
  }
  consume();
  user.attributes.email_verified = 'true';
  user.updatedAt = engine.now();
  await engine.store.commit();
  return {};
};

const DeleteUser: Operation = async (engine, input) => {
  const { pool, user } = authenticate(engine, str(input, 'AccessToken', 4096));
  delete pool.users[user.username];
  await engine.store.commit();
  return {};
};

const GlobalSignOut: Operation = async (engine, input) => {
  const { user } = authenticate(engine, str(input, 'AccessToken', 4096));
  endAllSessions(user);
  await engine.store.commit();
  return {};
};

const RevokeToken: Operation = async (engine, input) => {
  const token = str(input, 'Token', 4096);
  const { client } = engine.client(str(input, 'ClientId', 128));
  if (client.clientSecret && !isLiveSecret(client, optStr(input, 'ClientSecret'))) {
    throw new CognitoError('UnauthorizedException', 'Invalid client secret.');
  }
  if (!client.enableTokenRevocation)
    throw new CognitoError('UnsupportedOperationException', 'Token revocation is not enabled.');
  try {
    const { user, claims } = verifyToken(engine, token, 'refresh');
    if (claims.client_id !== client.clientId)
      throw new CognitoError('UnauthorizedException', 'Token was not issued to this client.');
    endSession(user, claims.origin_jti as string);
    await engine.store.commit();
  } catch (error) {
    // An already revoked or expired token revokes nothing, and Cognito answers 200.
    if (!(error instanceof CognitoError) || error.type !== 'NotAuthorizedException') throw error;
  }
  return {};
};

export const userOperations: Record<string, Operation> = {
  SignUp,
  ConfirmSignUp,
  ResendConfirmationCode,
  InitiateAuth,
  RespondToAuthChallenge,
  ForgotPassword,
  ConfirmForgotPassword,
  ChangePassword,
  GetUser,
  UpdateUserAttributes,
  GetUserAttributeVerificationCode,
  VerifyUserAttribute,
  DeleteUser,
  GlobalSignOut,
  RevokeToken,
};
