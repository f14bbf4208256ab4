import * as z from 'zod/mini';
import { attributes, clientMetadata, codeDelivery, code, password, session, token, tokens, username } from '../shared/schema';

export const signUpBody = z.strictObject({
  username,
  password,
  attributes: z.optional(attributes),
  clientMetadata: z.optional(clientMetadata),
});
export const signUpAnswer = z.object({ userSub: z.string(), userConfirmed: z.boolean(), codeDelivery: z.optional(codeDelivery) });

export const confirmSignUpBody = z.strictObject({ username, code, clientMetadata: z.optional(clientMetadata) });
export const resendBody = z.strictObject({ username, clientMetadata: z.optional(clientMetadata) });
export const codeDeliveryAnswer = z.object({ codeDelivery });

export const signInBody = z.strictObject({ username, password });
export const challengeAnswer = z.object({
  challenge: z.object({ name: z.string(), session: z.string(), parameters: z.record(z.string(), z.string()) }),
});
export const signInAnswer = z.union([tokens, challengeAnswer]);

export const newPasswordBody = z.strictObject({ username, session, newPassword: password });
/** `username` is Cognito's username (`username` of GET /me), which the SecretHash of a refresh needs. */
export const refreshBody = z.strictObject({ refreshToken: token, username });
export const tokensAnswer = tokens;
