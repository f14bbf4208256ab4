import * as z from 'zod/mini';
import { clientMetadata, codeDelivery, code, password, username } from '../shared/schema';

export const forgotBody = z.strictObject({ username, clientMetadata: z.optional(clientMetadata) });
export const forgotAnswer = z.object({ codeDelivery });
export const resetBody = z.strictObject({ username, code, password, clientMetadata: z.optional(clientMetadata) });
export const changeBody = z.strictObject({ previousPassword: password, proposedPassword: password });
