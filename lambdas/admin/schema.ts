import * as z from 'zod/mini';
import { lazy } from '../shared/lazy';
import { clientMetadata, username } from '../shared/schema';

export const adminResetBody = lazy(() => z.strictObject({ clientMetadata: z.optional(clientMetadata()) }));
/** `resetRequired`: a code was mailed and every session ended; `invitationResent`: a new temporary password. */
export const adminResetAnswer = lazy(() => z.object({ action: z.enum(['resetRequired', 'invitationResent']) }));
/** `{username}`: a username or email, normalized like every other username ({@link username}). */
export const adminResetParams = lazy(() => z.object({ username: username() }));
