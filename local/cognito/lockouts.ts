/**
 * What wrong passwords cost: two lockouts, kept as two rules because they model two different
 * documented Cognito behaviours (sign-in, and ChangePassword; see each below). Both count in the
 * same `failedSignIns` and lock through the same `lockedUntil`, so a lock set by either refuses
 * both. That sharing is the emulator's simplification: Cognito does not document whether the two
 * count together.
 */
import { type StoredUser, err } from './model';

export const MAX_SIGN_IN_FAILURES = 5;

const lockedOut = (user: StoredUser, now: number) => !!user.lockedUntil && user.lockedUntil > now;

/**
 * Sign-in lockout (USER_PASSWORD_AUTH), as documented in "Lockout behavior for failed sign-in
 * attempts",
 * https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior :
 * from the fifth failure on, the user is locked out for 2^(n-5) seconds (n failures so far); an
 * attempt while locked is refused with `Password attempts exceeded` and does not count.
 */
export function checkSignInLock(user: StoredUser | undefined, now: number): void {
  if (user && lockedOut(user, now)) throw err.notAuthorized('Password attempts exceeded');
}

export function recordFailedSignIn(user: StoredUser, now: number): void {
  user.failedSignIns += 1;
  if (user.failedSignIns >= MAX_SIGN_IN_FAILURES) {
    user.lockedUntil = now + 2 ** (user.failedSignIns - MAX_SIGN_IN_FAILURES) * 1000;
  }
}

/**
 * ChangePassword's limit, deliberately not the sign-in rule above. ChangePassword is not a sign-in
 * (it is authorized by the user's access token), and Cognito limits it per user instead: "Maximum
 * number of ChangePassword calls per user: 5 attempts per hour" in
 * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html#resource-quotas , answered
 * with LimitExceededException rather than `Password attempts exceeded`. The emulator approximates
 * that limit: from the fifth wrong previous password, a flat one-minute lock.
 */
export function checkChangePasswordLock(user: StoredUser, now: number): void {
  if (lockedOut(user, now)) throw err.limitExceeded();
}

export function recordFailedPasswordChange(user: StoredUser, now: number): void {
  user.failedSignIns += 1;
  if (user.failedSignIns >= MAX_SIGN_IN_FAILURES) user.lockedUntil = now + 60_000;
}

/** A successful sign-in or a new password (reset, or set by an admin) starts the count again. */
export function clearLockout(user: StoredUser): void {
  user.failedSignIns = 0;
  delete user.lockedUntil;
}
