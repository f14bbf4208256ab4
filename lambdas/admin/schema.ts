import * as z from 'zod/mini';
import { lazy } from '../shared/lazy';
import { USERNAME_PATTERN, clientMetadata } from '../shared/schema';

export const adminResetBody = lazy(() => z.strictObject({ clientMetadata: z.optional(clientMetadata()) }));
/** `resetRequired`: a code was mailed and every session ended; `invitationResent`: a new temporary password. */
export const adminResetAnswer = lazy(() => z.object({ action: z.enum(['resetRequired', 'invitationResent']) }));
/** `{username}`: a Cognito username, 1-128 characters of the username pattern. */
export const adminResetParams = lazy(() =>
  z.object({
    username: z.string().check(
      z.minLength(1),
      z.maxLength(128),
      z.refine((value) => USERNAME_PATTERN.test(value), 'is not a valid username'),
    ),
  }),
);
