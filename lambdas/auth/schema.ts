import * as z from 'zod/mini';
import { lazy } from '../shared/lazy';
import {
  attributeMap,
  clientMetadata,
  code,
  codeDelivery,
  password,
  session,
  token,
  tokens,
  username,
} from '../shared/schema';

export const signUpBody = lazy(() =>
  z.strictObject({
    username: username(),
    password: password(),
    attributes: z.optional(attributeMap(0)),
    clientMetadata: z.optional(clientMetadata()),
  }),
);
export const signUpAnswer = lazy(() =>
  z.object({ userSub: z.string(), userConfirmed: z.boolean(), codeDelivery: z.optional(codeDelivery()) }),
);

export const confirmSignUpBody = lazy(() =>
  z.strictObject({ username: username(), code: code(), clientMetadata: z.optional(clientMetadata()) }),
);
export const resendBody = lazy(() =>
  z.strictObject({ username: username(), clientMetadata: z.optional(clientMetadata()) }),
);
export const codeDeliveryAnswer = lazy(() => z.object({ codeDelivery: codeDelivery() }));

export const signInBody = lazy(() => z.strictObject({ username: username(), password: password() }));
const challengeAnswer = () =>
  z.object({
    challenge: z.object({
      name: z.string(),
      session: z.string(),
      username: z
        .string()
        .check(z.describe("The user's real username: send it back as `username` of the answer, not the email.")),
      parameters: z.record(z.string(), z.string()),
    }),
  });
export const signInAnswer = lazy(() => z.union([tokens(), challengeAnswer()]));

/** `username` is `challenge.username` of the sign-in answer: Cognito refuses an alias such as the email. */
export const newPasswordBody = lazy(() =>
  z.strictObject({
    username: username().check(z.describe('`challenge.username` of the sign-in answer (Cognito refuses the email).')),
    session: session(),
    newPassword: password(),
  }),
);
/** Only the refresh token; `username` (the old contract) is accepted and ignored. */
export const refreshBody = lazy(() =>
  z.strictObject({
    refreshToken: token(),
    username: z.optional(username().check(z.meta({ deprecated: true, description: 'Ignored: no longer needed.' }))),
  }),
);
/** Cookie mode (`X-BFF-Session: cookie`): `{}`, the refresh token is read from its cookie. */
export const refreshCookieBody = lazy(() =>
  z.strictObject({
    username: z.optional(username().check(z.meta({ deprecated: true, description: 'Ignored: no longer needed.' }))),
  }),
);
export const tokensAnswer = tokens;

/**
 * The password policy of the pool, every field of `bff:passwordPolicy` (more may come: the object is open).
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html
 */
export const passwordPolicyAnswer = lazy(() =>
  z.catchall(
    z.object({
      minLength: z.int().check(z.describe('Fewest characters a password may have.')),
      requireLowercase: z.boolean(),
      requireUppercase: z.boolean(),
      requireDigits: z.boolean(),
      requireSymbols: z.boolean(),
      tempPasswordValidityDays: z.int().check(z.describe('Days a temporary password (an invitation) stays valid.')),
      passwordHistorySize: z
        .int()
        .check(z.describe('A new password may not be one of this many last passwords (0: no history rule).')),
    }),
    z.union([z.number(), z.boolean()]),
  ),
);
