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
import type { updateAttributesBody, verificationCodeBody, verifyAttributeBody } from './schema';

type Req<S extends () => z.ZodMiniType> = RouteRequest<z.infer<ReturnType<S>>>;

export async function getMe(request: RouteRequest<undefined>, { cognito }: ApiDeps) {
  const answer = await cognito.send(new GetUserCommand({ AccessToken: request.accessToken }));
  const attributes = Object.fromEntries((answer.UserAttributes ?? []).map((a) => [a.Name ?? '', a.Value ?? '']));
  return { username: answer.Username, attributes };
}

export async function updateAttributes(request: Req<typeof updateAttributesBody>, { cognito }: ApiDeps) {
  const { attributes, clientMetadata } = request.body;
  const answer = await cognito.send(
    new UpdateUserAttributesCommand({
      AccessToken: request.accessToken,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      ClientMetadata: clientMetadata,
    }),
  );
  return { codeDeliveries: (answer.CodeDeliveryDetailsList ?? []).map(toCodeDelivery) };
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
