/**
 * What repeated attempts cost, one documented rule per kind of attempt:
 * - sign-in with a password: Cognito's lockout (below);
 * - ChangePassword: a per-user quota of calls, not a lockout;
 * - a one-time code: see codes.ts (LimitExceededException after five wrong codes).
 * All read the injectable clock, so tests move time instead of waiting.
 */
import { type StoredUser, err } from './model';

export const MAX_SIGN_IN_FAILURES = 5;
/** "up to a maximum of approximately 15 minutes" */
export const MAX_LOCKOUT_MS = 15 * 60_000;
/** "not initiate any sign-in attempts for 15 consecutive minutes at any time after a lockout" */
export const LOCKOUT_IDLE_RESET_MS = 15 * 60_000;

/**
 * Sign-in lockout, as documented in "Lockout behavior for failed sign-in attempts"
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior):
 * - after five failed sign-ins the user is locked out for one second, and the lockout doubles with
 *   each further failure: 2^(n-5) seconds for n failures, up to about 15 minutes;
 * - an attempt during a lockout is refused with NotAuthorizedException "Password attempts exceeded"
 *   (even with the right password) and does not count;
 * - the count goes back to 0 on a successful sign-in after the lockout ends, or when no sign-in
 *   was attempted for 15 consecutive minutes at any time after a lockout.
 * Call it at every attempt, before the password is checked.
 */
export function checkSignInLock(user: StoredUser | undefined, now: number): void {
  if (!user) return;
  const idleSince = user.lastSignInAttemptAt;
  const wasLocked = user.failedSignIns >= MAX_SIGN_IN_FAILURES;
  if (wasLocked && idleSince !== undefined && now - idleSince >= LOCKOUT_IDLE_RESET_MS) clearLockout(user);
  user.lastSignInAttemptAt = now;
  if (user.lockedUntil !== undefined && user.lockedUntil > now) throw err.notAuthorized('Password attempts exceeded');
}

export function recordFailedSignIn(user: StoredUser, now: number): void {
  user.failedSignIns += 1;
  if (user.failedSignIns >= MAX_SIGN_IN_FAILURES) {
    const lockMs = Math.min(2 ** (user.failedSignIns - MAX_SIGN_IN_FAILURES) * 1000, MAX_LOCKOUT_MS);
    user.lockedUntil = now + lockMs;
  }
}

/** A successful sign-in, or a new password (reset, or set by an admin), starts the count again. */
export function clearLockout(user: StoredUser): void {
  user.failedSignIns = 0;
  delete user.lockedUntil;
}

export const MAX_PASSWORD_CHANGES_PER_HOUR = 5;

/**
 * ChangePassword's limit is a quota, not a lockout: "Maximum number of ChangePassword calls per
 * user: 5 attempts per hour" (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html#resource-quotas),
 * answered with LimitExceededException ("Attempt limit exceeded, please try after some time.").
 * Every call counts, right or wrong, in a sliding hour; a wrong previous password is a plain
 * NotAuthorizedException and does not lock sign-in.
 */
export function countPasswordChange(user: StoredUser, now: number): void {
  const recent = (user.passwordChanges ?? []).filter((t) => t > now - 3600_000);
  if (recent.length >= MAX_PASSWORD_CHANGES_PER_HOUR) {
    user.passwordChanges = recent;
    throw err.limitExceeded();
  }
  user.passwordChanges = [...recent, now];
}
