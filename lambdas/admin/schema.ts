import * as z from 'zod/mini';
import { lazy } from '../shared/lazy';
import { clientMetadata } from '../shared/schema';

export const adminResetBody = lazy(() => z.strictObject({ clientMetadata: z.optional(clientMetadata()) }));
