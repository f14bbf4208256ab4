import * as z from 'zod/mini';
import { lazy } from '../shared/lazy';
import { clientMetadata, code, codeDelivery, password, username } from '../shared/schema';

export const forgotBody = lazy(() =>
  z.strictObject({ username: username(), clientMetadata: z.optional(clientMetadata()) }),
);
export const forgotAnswer = lazy(() => z.object({ codeDelivery: codeDelivery() }));
export const resetBody = lazy(() =>
  z.strictObject({
    username: username(),
    code: code(),
    password: password(),
    clientMetadata: z.optional(clientMetadata()),
  }),
);
export const changeBody = lazy(() => z.strictObject({ previousPassword: password(), proposedPassword: password() }));
