/**
 * App clients: their settings with Cognito's defaults, the authentication flows they allow (new
 * `ALLOW_` names and the legacy ones), and how DescribeUserPoolClient shows them.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html
 */
import { checkClientAttributes } from './attributes';
import type { Input } from './input';
import { type StoredClient, type StoredPool, err } from './model';

/** "If you don't specify a value for ExplicitAuthFlows, your app client supports ..." */
export const DEFAULT_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'] as const;
const LEGACY_FLOWS = new Set(['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH']);

type Flow = 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH' | 'ADMIN_USER_PASSWORD_AUTH';

/**
 * Whether a client allows an InitiateAuth flow. A client configured with the legacy names (no
 * `ALLOW_` prefix) always allows SRP and refresh, and the password flows it names:
 * USER_PASSWORD_AUTH, and ADMIN_NO_SRP_AUTH for the admin flow ("This setting replaces the
 * ADMIN_NO_SRP_AUTH setting").
 */
export function allowsFlow(client: StoredClient, flow: Flow): boolean {
  const flows = client.explicitAuthFlows.length > 0 ? client.explicitAuthFlows : [...DEFAULT_FLOWS];
  if (flows.some((f) => LEGACY_FLOWS.has(f))) {
    if (flow === 'REFRESH_TOKEN_AUTH') return true;
    return flows.includes(flow === 'ADMIN_USER_PASSWORD_AUTH' ? 'ADMIN_NO_SRP_AUTH' : flow);
  }
  return flows.includes(`ALLOW_${flow}`);
}

const UNIT_MINUTES: Record<string, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };

/**
 * Client settings as Create/UpdateUserPoolClient take them, with Cognito's defaults for what is not
 * given (UpdateUserPoolClient likewise resets every setting it is not given). Everything is checked
 * here, before the caller changes anything:
 * - legacy and `ALLOW_` flow names can't be mixed ("You can't assign these legacy ExplicitAuthFlows
 *   values ... at the same time as values that begin with ALLOW_");
 * - PreventUserExistenceErrors "Defaults to LEGACY";
 * - read and write attributes must exist in the pool's schema.
 */
export function clientSettings(pool: StoredPool, input: Input, clientName: string) {
  const units = (input.TokenValidityUnits ?? {}) as Record<string, string>;
  const minutes = (value: unknown, unit: string | undefined, fallbackUnit: string, fallback: number) =>
    typeof value === 'number' ? value * (UNIT_MINUTES[unit ?? fallbackUnit] ?? 1) : fallback;
  const flows = (input.ExplicitAuthFlows as string[] | undefined) ?? [];
  const legacy = flows.filter((f) => LEGACY_FLOWS.has(f));
  if (legacy.length > 0 && legacy.length < flows.length) {
    throw err.invalidParameter('ExplicitAuthFlows cannot contain legacy flows together with ALLOW_ flows.');
  }
  const readAttributes = [...new Set((input.ReadAttributes as string[] | undefined) ?? [])];
  const writeAttributes = [...new Set((input.WriteAttributes as string[] | undefined) ?? [])];
  checkClientAttributes(pool, readAttributes, writeAttributes);
  return {
    clientName,
    explicitAuthFlows: [...new Set(flows)],
    readAttributes,
    writeAttributes,
    preventUserExistenceErrors:
      input.PreventUserExistenceErrors === 'ENABLED' ? ('ENABLED' as const) : ('LEGACY' as const),
    accessTokenValidityMinutes: minutes(input.AccessTokenValidity, units.AccessToken, 'hours', 60),
    idTokenValidityMinutes: minutes(input.IdTokenValidity, units.IdToken, 'hours', 60),
    refreshTokenValidityDays: minutes(input.RefreshTokenValidity, units.RefreshToken, 'days', 30 * 1440) / 1440,
    enablePropagateAdditionalUserContextData: input.EnablePropagateAdditionalUserContextData === true,
    enableTokenRevocation: input.EnableTokenRevocation !== false,
    refreshTokenRotation: refreshTokenRotation(input.RefreshTokenRotation),
  };
}

/** API_RefreshTokenRotationType (its shape is checked before): Feature, RetryGracePeriodSeconds 0-60. */
function refreshTokenRotation(value: unknown): NonNullable<StoredClient['refreshTokenRotation']> {
  const { Feature = 'DISABLED', RetryGracePeriodSeconds = 0 } = (value ?? {}) as Record<string, unknown>;
  return {
    feature: Feature === 'ENABLED' ? 'ENABLED' : 'DISABLED',
    retryGracePeriodSeconds: RetryGracePeriodSeconds as number,
  };
}

const seconds = (ms: number) => ms / 1000;

/**
 * DescribeUserPoolClient's answer. Read and write attributes appear only when the client was given
 * its own ("Amazon Cognito only populates WriteAttributes in the API response if you have specified
 * your own custom set"); the flows, as given or the default set.
 */
export function describeClient(pool: StoredPool, c: StoredClient) {
  return {
    UserPoolId: pool.id,
    ClientId: c.clientId,
    ClientName: c.clientName,
    ...(c.clientSecret ? { ClientSecret: c.clientSecret } : {}),
    ExplicitAuthFlows: c.explicitAuthFlows.length > 0 ? c.explicitAuthFlows : [...DEFAULT_FLOWS],
    ...(c.readAttributes.length > 0 ? { ReadAttributes: c.readAttributes } : {}),
    ...(c.writeAttributes.length > 0 ? { WriteAttributes: c.writeAttributes } : {}),
    PreventUserExistenceErrors: c.preventUserExistenceErrors,
    AccessTokenValidity: c.accessTokenValidityMinutes,
    IdTokenValidity: c.idTokenValidityMinutes,
    RefreshTokenValidity: c.refreshTokenValidityDays,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    EnablePropagateAdditionalUserContextData: c.enablePropagateAdditionalUserContextData,
    EnableTokenRevocation: c.enableTokenRevocation,
    RefreshTokenRotation: {
      Feature: c.refreshTokenRotation?.feature ?? 'DISABLED',
      RetryGracePeriodSeconds: c.refreshTokenRotation?.retryGracePeriodSeconds ?? 0,
    },
    CreationDate: seconds(c.createdAt),
    LastModifiedDate: seconds(c.lastModifiedAt),
  };
}
