/**
 * UpdateUserAttributes and AdminUpdateUserAttributes: one rule for both, which checks the whole
 * request before it changes anything (a rejected request leaves the user as it was), then sends
 * the verification code if one is due, then applies everything at once.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserAttributes.html
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateUserAttributes.html
 */
import { checkAttributes, schemaOf } from './attributes';
import { deliverNewCode } from './codes';
import type { Engine } from './engine';
import type { DeliveryDetails } from './messages';
import { type StoredClient, type StoredPool, type StoredUser, err } from './model';
import type { ClientMetadata } from './triggers';
import { findUser } from './users';

export interface UpdateRequest {
  /** The app client of the user's access token (UpdateUserAttributes): its WriteAttributes apply. */
  readonly client?: StoredClient;
  /** For the trigger's callerContext: the client, or CLIENT_ID_NOT_APPLICABLE for admin calls. */
  readonly clientId: string;
  readonly clientMetadata: ClientMetadata;
}

function aliasTaken(pool: StoredPool, user: StoredUser, email: string): boolean {
  const other = pool.usernameAttributes.includes('email') ? findUser(pool, email) : undefined;
  return other !== undefined && other !== user;
}

export async function updateAttributes(
  engine: Engine,
  pool: StoredPool,
  user: StoredUser,
  requested: Record<string, string>,
  request: UpdateRequest,
): Promise<DeliveryDetails[]> {
  // 1. Check everything: schema, mutability, formats, the client's WriteAttributes, required
  //    attributes not deleted ("submit the attribute ... with a blank value" deletes it), aliases.
  const updates = checkAttributes(pool, requested, {
    mode: 'update',
    ...(request.client ? { client: request.client } : {}),
  });
  const schema = schemaOf(pool);
  for (const [name, value] of Object.entries(updates)) {
    const keyedBy = name === 'email' && pool.usernameAttributes.includes('email');
    if (value === '' && (schema[name]?.required || keyedBy)) {
      throw err.invalidParameter(`Attributes did not conform to the schema: ${name}: The attribute is required\n`);
    }
  }
  const { email, ...others } = updates;
  const changesEmail = email !== undefined && email !== (user.attributes.email ?? '');
  if (changesEmail && email !== '' && aliasTaken(pool, user, email)) throw err.aliasExists();
  // An administrator who marks the new address verified skips the verification message.
  const verifiedByAdmin = !request.client && others.email_verified === 'true';
  const keepOriginal =
    changesEmail && !verifiedByAdmin && pool.attributesRequireVerificationBeforeUpdate.includes('email');
  const sendsCode = changesEmail && email !== '' && !verifiedByAdmin && pool.autoVerifiedAttributes.includes('email');

  // 2. The one await: the verification message (CustomMessage may fail, and then nothing changed).
  const delivery = sendsCode
    ? await deliverNewCode(engine, 'verify:email', {
        pool,
        clientId: request.clientId,
        user,
        triggerSource: 'CustomMessage_UpdateUserAttribute',
        to: email,
        clientMetadata: request.clientMetadata,
      })
    : undefined;
  if (changesEmail && email !== '' && aliasTaken(pool, user, email)) throw err.aliasExists();

  // 3. Apply it all at once.
  for (const [name, value] of Object.entries(others)) {
    if (value === '') delete user.attributes[name];
    else user.attributes[name] = value;
  }
  if (changesEmail) {
    if (keepOriginal) {
      user.pendingAttributes.email = email;
    } else if (email === '') {
      delete user.attributes.email;
      delete user.attributes.email_verified;
    } else {
      user.attributes.email = email;
      user.attributes.email_verified = verifiedByAdmin ? 'true' : 'false';
      delete user.pendingAttributes.email;
    }
  }
  delivery?.save();
  user.updatedAt = engine.now();
  return delivery ? [delivery.details] : [];
}
