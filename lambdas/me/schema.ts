import * as z from 'zod/mini';
import { lazy } from '../shared/lazy';
import { attributeMap, attributeName, clientMetadata, code, codeDelivery, password } from '../shared/schema';

/** `groups`: the caller's groups, from the verified access token's `cognito:groups` (no extra Cognito call). */
export const meAnswer = lazy(() =>
  z.object({ username: z.string(), attributes: z.record(z.string(), z.string()), groups: z.array(z.string()) }),
);
export const updateAttributesBody = lazy(() =>
  z.strictObject({
    attributes: attributeMap(1),
    currentPassword: z.optional(
      password().check(z.describe('Required when `attributes` changes the email (a sign-in and recovery address).')),
    ),
    clientMetadata: z.optional(clientMetadata()),
  }),
);
export const updateAttributesAnswer = lazy(() => z.object({ codeDeliveries: z.array(codeDelivery()) }));
export const verifyAttributeBody = lazy(() => z.strictObject({ attribute: attributeName(), code: code() }));
export const verificationCodeBody = lazy(() =>
  z.strictObject({ attribute: attributeName(), clientMetadata: z.optional(clientMetadata()) }),
);
export const verificationCodeAnswer = lazy(() => z.object({ codeDelivery: codeDelivery() }));
