import * as z from 'zod/mini';
import { attributeName, attributeValue, clientMetadata, entries, code, codeDelivery } from '../shared/schema';

export const meAnswer = z.object({ username: z.string(), attributes: z.record(z.string(), z.string()) });
export const updateAttributesBody = z.strictObject({
  attributes: z.record(attributeName, attributeValue).check(entries(1, 50)),
  clientMetadata: z.optional(clientMetadata),
});
export const updateAttributesAnswer = z.object({ codeDeliveries: z.array(codeDelivery) });
export const verifyAttributeBody = z.strictObject({ attribute: attributeName, code });
export const verificationCodeBody = z.strictObject({ attribute: attributeName, clientMetadata: z.optional(clientMetadata) });
export const verificationCodeAnswer = z.object({ codeDelivery });
