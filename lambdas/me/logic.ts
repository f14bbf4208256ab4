import {
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  NotAuthorizedException,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { z } from 'zod/mini';
import { type ApiDeps, toCodeDelivery } from '../shared/cognito';
import type { RouteRequest } from '../shared/http';
import { ForbiddenError, ValidationError } from '../shared/problem';
import { checkCurrentPassword } from '../shared/reauth';
import type { updateAttributesBody, verificationCodeBody, verifyAttributeBody } from './schema';

type Req<S extends () => z.ZodMiniType> = RouteRequest<z.infer<ReturnType<S>>>;

export async function getMe(request: RouteRequest<undefined>, { cognito }: ApiDeps) {
  const answer = await cognito.send(new GetUserCommand({ AccessToken: request.accessToken }));
  const attributes = Object.fromEntries((answer.UserAttributes ?? []).map((a) => [a.Name ?? '', a.Value ?? '']));
  const claimed = request.claims?.['cognito:groups'];
  const groups = Array.isArray(claimed) ? claimed.filter((g): g is string => typeof g === 'string') : [];
  return { username: answer.Username, attributes, groups };
}

/** Attributes a person signs in with or recovers the account through: changing them takes the password. */
const SIGN_IN_ATTRIBUTES = new Set(['email', 'phone_number', 'preferred_username']);

/**
 * Updates the caller's attributes. Moving a sign-in or recovery address needs the current password too, or a
 * stolen access token would move the email to the thief's address and forgot/reset would go there.
 */
export async function updateAttributes(request: Req<typeof updateAttributesBody>, deps: ApiDeps) {
  const { attributes, currentPassword, clientMetadata } = request.body;
  const sensitive = Object.keys(attributes).filter((name) => SIGN_IN_ATTRIBUTES.has(name));
  if (sensitive.length > 0) {
    if (!currentPassword) {
      throw new ValidationError([
        { path: 'currentPassword', message: `is required to change ${sensitive.join(', ')}` },
      ]);
    }
    await checkCurrentPassword(request, deps, currentPassword);
  }
  try {
    const answer = await deps.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: request.accessToken,
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
        ClientMetadata: clientMetadata,
      }),
    );
    return { codeDeliveries: (answer.CodeDeliveryDetailsList ?? []).map(toCodeDelivery) };
  } catch (error) {
    // Cognito answers NotAuthorizedException for an attribute the app client may not write: the caller's
    // credentials are fine, the request is not (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-attribute-permissions-and-scopes).
    if (error instanceof NotAuthorizedException && /unauthorized attribute/i.test(error.message)) {
      throw new ForbiddenError('AttributeNotWritable', 'One of these attributes cannot be changed here.', {
        cause: error,
      });
    }
    throw error;
  }
}

export async function verifyAttribute(request: Req<typeof verifyAttributeBody>, { cognito }: ApiDeps) {
  const { attribute, code } = request.body;
  await cognito.send(
    new VerifyUserAttributeCommand({ AccessToken: request.accessToken, AttributeName: attribute, Code: code }),
  );
}

export async function sendVerificationCode(request: Req<typeof verificationCodeBody>, { cognito }: ApiDeps) {
  const { attribute, clientMetadata } = request.body;
  const answer = await cognito.send(
    new GetUserAttributeVerificationCodeCommand({
      AccessToken: request.accessToken,
      AttributeName: attribute,
      ClientMetadata: clientMetadata,
    }),
  );
  return { codeDelivery: toCodeDelivery(answer.CodeDeliveryDetails) };
}

export async function deleteMe(request: RouteRequest<undefined>, { cognito }: ApiDeps) {
  await cognito.send(new DeleteUserCommand({ AccessToken: request.accessToken }));
}
