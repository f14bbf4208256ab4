/**
 * Password history and the feature plan that gates it.
 *
 * Password history: "Users can't set a password that matches any of n previous passwords, where n is the value
 * of PasswordHistorySize" (0-24; 0 or absent: not enforced), and "to activate this setting, your user pool must
 * be in the Essentials tier or higher"
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html).
 * The n passwords are the user's n most recent ones, the current one included. The operations that set a
 * password a user chose raise PasswordHistoryPolicyViolationException for a reused one (the API model lists it
 * for ChangePassword, ConfirmForgotPassword, RespondToAuthChallenge, AdminRespondToAuthChallenge and
 * AdminSetUserPassword: API_ChangePassword.html, API_ConfirmForgotPassword.html,
 * API_RespondToAuthChallenge.html, API_AdminSetUserPassword.html under
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/).
 *
 * Feature plans: a setting the pool's plan does not include is refused where it is configured, with
 * FeatureUnavailableInTierException ("a feature you attempted to configure isn't available in your current
 * feature plan"; the API model lists it for CreateUserPool, UpdateUserPool, CreateUserPoolClient and
 * UpdateUserPoolClient). Password history and refresh-token rotation need Essentials or Plus, threat protection
 * (UserPoolAddOns.AdvancedSecurityMode other than OFF) needs Plus
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html).
 */
import { verifyPassword } from './crypto';
import { CognitoError, type StoredPool, type StoredUser } from './model';

export type Tier = 'LITE' | 'ESSENTIALS' | 'PLUS';

/** A pool's plan: UserPoolTier as given, Essentials when not ("the default is Essentials" for new pools). */
export const tierOf = (pool: { tier?: Tier }): Tier => pool.tier ?? 'ESSENTIALS';

const unavailable = (feature: string, tier: Tier, needs: string) =>
  new CognitoError(
    'FeatureUnavailableInTierException',
    `${feature} is not available in the ${tier} feature plan; it needs ${needs}.`,
  );

/** CreateUserPool / UpdateUserPool: the pool settings its plan does not include. */
export function checkPoolTier(tier: Tier, settings: { passwordHistorySize: number; advancedSecurityMode: string }) {
  if (tier === 'LITE' && settings.passwordHistorySize > 0) {
    throw unavailable('Password history (PasswordHistorySize)', tier, 'Essentials or Plus');
  }
  if (tier !== 'PLUS' && settings.advancedSecurityMode !== 'OFF') {
    throw unavailable('Threat protection (UserPoolAddOns.AdvancedSecurityMode)', tier, 'Plus');
  }
}

/** CreateUserPoolClient / UpdateUserPoolClient: refresh-token rotation needs Essentials or Plus. */
export function checkClientTier(pool: StoredPool, rotation: { feature: string }) {
  if (tierOf(pool) === 'LITE' && rotation.feature === 'ENABLED') {
    throw unavailable('Refresh token rotation (RefreshTokenRotation)', 'LITE', 'Essentials or Plus');
  }
}

const historySize = (pool: StoredPool) => (tierOf(pool) === 'LITE' ? 0 : (pool.policy.passwordHistorySize ?? 0));

/**
 * Throws PasswordHistoryPolicyViolationException when `password` is one of the user's last n passwords (the
 * current one included). Every one is hashed and compared, so the answer takes as long for a match as for none.
 */
export async function checkPasswordHistory(pool: StoredPool, user: StoredUser, password: string): Promise<void> {
  const n = historySize(pool);
  if (n === 0) return;
  const recent = [user.passwordHash, ...(user.previousPasswordHashes ?? [])].slice(0, n);
  const matches = await Promise.all(recent.map((hash) => verifyPassword(password, hash)));
  if (matches.some(Boolean)) {
    throw new CognitoError(
      'PasswordHistoryPolicyViolationException',
      'The password matches one of the previous passwords of the user, which the password history policy forbids.',
    );
  }
}

/** Sets the user's password and keeps the one it replaces (at most 24, the largest PasswordHistorySize). */
export function setPassword(user: StoredUser, passwordHash: string): void {
  user.previousPasswordHashes = [user.passwordHash, ...(user.previousPasswordHashes ?? [])].slice(0, 23);
  user.passwordHash = passwordHash;
}
