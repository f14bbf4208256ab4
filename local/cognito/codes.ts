/** One-time codes: their lifetimes, issuing and sending one, checking one, and the per-user request limit. */
import { hashCode, newCode, safeEqual } from './crypto';
import type { Engine } from './engine';
import { type Delivery, type DeliveryDetails, deliverCode } from './messages';
import { type CodePurpose, type StoredCode, type StoredUser, err } from './model';

export const CODE_TTL_MS = { signUp: 24 * 3600_000, forgotPassword: 3600_000, verify: 24 * 3600_000 } as const;
export const MAX_CODE_ATTEMPTS = 5;
export const MAX_CODE_REQUESTS_PER_HOUR = 10;

/** Counts a delivery request against the per-user hourly limit. */
export function countCodeRequest(engine: Engine, user: StoredUser): void {
  const hourAgo = engine.now() - 3600_000;
  user.codeRequests = user.codeRequests.filter((t) => t > hourAgo);
  if (user.codeRequests.length >= MAX_CODE_REQUESTS_PER_HOUR) throw err.limitExceeded();
  user.codeRequests.push(engine.now());
}

/** A fresh code for `purpose`, with that purpose's lifetime: the code, and what to store. */
function newStoredCode(engine: Engine, purpose: CodePurpose): { code: string; stored: StoredCode } {
  const code = newCode();
  const ttlMs =
    purpose === 'signUp'
      ? CODE_TTL_MS.signUp
      : purpose === 'forgotPassword'
        ? CODE_TTL_MS.forgotPassword
        : CODE_TTL_MS.verify;
  return { code, stored: { hash: hashCode(code), expiresAt: engine.now() + ttlMs, failedAttempts: 0 } };
}

/**
 * Delivers a fresh code for `purpose`; it replaces the user's earlier one only when `save()` is
 * called, so a request that fails after the delivery (a check made after an await) changes nothing.
 */
export async function deliverNewCode(
  engine: Engine,
  purpose: CodePurpose,
  delivery: Delivery,
): Promise<{ details: DeliveryDetails; save: () => void }> {
  const { code, stored } = newStoredCode(engine, purpose);
  const details = await deliverCode(engine, { ...delivery, code });
  return {
    details,
    save: () => {
      delivery.user.codes[purpose] = stored;
    },
  };
}

/** Issues a code for `purpose`, delivers it and keeps it. */
export async function sendCode(engine: Engine, purpose: CodePurpose, delivery: Delivery): Promise<DeliveryDetails> {
  const { details, save } = await deliverNewCode(engine, purpose, delivery);
  save();
  return details;
}

/**
 * Checks a code: single use, expiring, and five wrong tries at most. The sixth try, right or
 * wrong, is refused with LimitExceededException ("Attempt limit exceeded, please try after some
 * time."), which is what Cognito answers after the fifth wrong code (not TooManyFailedAttempts,
 * though the API model lists that too): field reports for ConfirmForgotPassword
 * (aws-amplify/amplify-ui-android#180: five CodeMismatchException, then LimitExceededException) and
 * for confirmation codes in general (aws-amplify/amplify-ui-android#182). The same rule holds for
 * ConfirmSignUp and VerifyUserAttribute. A new code (ForgotPassword, ResendConfirmationCode,
 * GetUserAttributeVerificationCode) starts the count again.
 * Returns a function that consumes the code, to call only when the whole operation succeeds.
 */
export function checkCode(engine: Engine, user: StoredUser, purpose: CodePurpose, code: string): () => void {
  const stored = user.codes[purpose];
  if (!stored) throw err.expiredCode();
  if (stored.failedAttempts >= MAX_CODE_ATTEMPTS) throw err.limitExceeded();
  if (stored.expiresAt <= engine.now()) {
    delete user.codes[purpose];
    throw err.expiredCode();
  }
  if (!safeEqual(stored.hash, hashCode(code))) {
    stored.failedAttempts += 1;
    throw err.codeMismatch();
  }
  return () => {
    delete user.codes[purpose];
  };
}
