import {
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { z } from 'zod/mini';
import { type ApiDeps, toCodeDelivery } from '../shared/cognito';
import type { RouteRequest } from '../shared/http';
import { ValidationError } from '../shared/problem';
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
 * stolen access token would move the email to the thief's address and forgot/reset would go there. A new email
 * gets a code: that send counts against the per-user cap (code-cap.ts), and the old address is told (a notice
 * through SES, bff:notifyEmailChange) once Cognito has taken the change.
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
  const newEmail = attributes.email;
  if (newEmail !== undefined) await countCodeSend(request, deps);
  // The address to tell: read before the change (an access token carries no email).
  const oldEmail = newEmail !== undefined && deps.config.mail ? await currentEmail(request, deps) : undefined;
  // An attribute the app client may not write is a 403 AttributeNotWritable (cognito-errors.ts, every route).
  const answer = await deps.cognito.send(
    new UpdateUserAttributesCommand({
      AccessToken: request.accessToken,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      ClientMetadata: clientMetadata,
    }),
  );
  if (oldEmail && newEmail !== undefined && oldEmail.toLowerCase() !== newEmail.trim().toLowerCase()) {
    const { sendNotice, maskAddress } = await import('../shared/ses');
    await sendNotice(mailTarget(deps), oldEmail, 'emailChange', clientMetadata?.locale, maskAddress(newEmail));
  }
  return { codeDeliveries: (answer.CodeDeliveryDetailsList ?? []).map(toCodeDelivery) };
}

async function currentEmail(request: RouteRequest<unknown>, { cognito }: ApiDeps): Promise<string | undefined> {
  const user = await cognito.send(new GetUserCommand({ AccessToken: request.accessToken }));
  return user.UserAttributes?.find((a) => a.Name === 'email')?.Value;
}

const mailTarget = ({ config }: ApiDeps) => ({
  mail: config.mail as NonNullable<ApiDeps['config']['mail']>,
  ...(config.sesEndpoint ? { endpoint: config.sesEndpoint } : {}),
});

/** One code to a new address, against the caller's cap (bff:verificationCodeCap); nothing when the cap is off. */
async function countCodeSend(request: RouteRequest<unknown>, { config }: ApiDeps): Promise<void> {
  if (!config.codeCap) return;
  const { checkCodeCap } = await import('../shared/code-cap');
  const target = {
    cap: config.codeCap,
    retryAfterSeconds: config.retryAfterSeconds,
    ...(config.dynamoDbEndpoint ? { endpoint: config.dynamoDbEndpoint } : {}),
  };
  await checkCodeCap(target, String(request.claims?.sub ?? request.claims?.username ?? ''));
}

export async function verifyAttribute(request: Req<typeof verifyAttributeBody>, { cognito }: ApiDeps) {
  const { attribute, code } = request.body;
  await cognito.send(
    new VerifyUserAttributeCommand({ AccessToken: request.accessToken, AttributeName: attribute, Code: code }),
  );
}

/** A code sent here goes to the address being verified (after an email change, the new one): it is capped. */
export async function sendVerificationCode(request: Req<typeof verificationCodeBody>, deps: ApiDeps) {
  const { attribute, clientMetadata } = request.body;
  await countCodeSend(request, deps);
  const answer = await deps.cognito.send(
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
