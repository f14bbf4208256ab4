import * as z from 'zod/mini';
import { clientMetadata } from '../shared/schema';

export const adminResetBody = z.strictObject({ clientMetadata: z.optional(clientMetadata) });
