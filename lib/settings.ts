/**
 * The product's settings as plain data: no CDK import, so the CDK stack (lib/) and the local
 * stack (local/) are configured from the very same values. bin/app.ts and local/start.ts both
 * read them from cdk.json context through {@link settingsFromContext}.
 */

export interface PasswordPolicySettings {
  /** @default 12 */
  readonly minLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireDigits: boolean;
  readonly requireSymbols: boolean;
  /** Days a temporary password (AdminCreateUser) stays valid. @default 7 */
  readonly tempPasswordValidityDays: number;
}

export interface TokenValiditySettings {
  /** @default 60 */
  readonly accessTokenMinutes: number;
  /** @default 60 */
  readonly idTokenMinutes: number;
  /** @default 30 */
  readonly refreshTokenDays: number;
}

export interface ThrottleSettings {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface ClientSettings {
  /** @default 'password-bff' */
  readonly clientName: string;
  /** Cognito explicit auth flows. @default ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] */
  readonly explicitAuthFlows: readonly string[];
  readonly readAttributes: readonly string[];
  readonly writeAttributes: readonly string[];
  readonly tokenValidity: TokenValiditySettings;
  /** @default true */
  readonly preventUserExistenceErrors: boolean;
}

export interface Settings {
  /** Browser origins allowed by CORS. Never `*`. */
  readonly allowedOrigins: readonly string[];
  /**
   * Reset/confirmation link targets: origin plus path prefix. https only, except
   * http://localhost and http://127.0.0.1 for development.
   */
  readonly redirectAllowlist: readonly string[];
  readonly locales: readonly string[];
  readonly defaultLocale: string;
  readonly adminGroupName: string;
  /** Group every confirmed user joins. */
  readonly defaultGroupName: string;
  /** Extra ClientMetadata keys accepted besides locale, redirectUri and app. */
  readonly clientMetadataKeys: readonly string[];
  readonly passwordPolicy: PasswordPolicySettings;
  readonly client: ClientSettings;
  /** Sign every session out after a password reset (PostConfirmation). @default true */
  readonly signOutOnPasswordReset: boolean;
  /** Audit event source name. @default 'password-bff' */
  readonly eventSource: string;
  /** Stage-wide throttling. */
  readonly throttle: ThrottleSettings;
  /** Stricter throttling on /auth/* and /password/*. */
  readonly publicRouteThrottle: ThrottleSettings;
}

export const defaultSettings: Settings = {
  allowedOrigins: ['http://localhost:3000', 'http://127.0.0.1:3000'],
  redirectAllowlist: ['http://localhost:3000/', 'http://127.0.0.1:3000/'],
  locales: ['en', 'fr', 'de', 'es'],
  defaultLocale: 'en',
  adminGroupName: 'admins',
  defaultGroupName: 'users',
  clientMetadataKeys: [],
  passwordPolicy: {
    minLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    tempPasswordValidityDays: 7,
  },
  client: {
    clientName: 'password-bff',
    explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    readAttributes: ['email', 'email_verified', 'name', 'locale'],
    writeAttributes: ['email', 'name', 'locale'],
    tokenValidity: { accessTokenMinutes: 60, idTokenMinutes: 60, refreshTokenDays: 30 },
    preventUserExistenceErrors: true,
  },
  signOutOnPasswordReset: true,
  eventSource: 'password-bff',
  throttle: { rateLimit: 100, burstLimit: 200 },
  publicRouteThrottle: { rateLimit: 10, burstLimit: 20 },
};

/**
 * ClientMetadata `flow` value the admin reset route sets itself (frontends cannot send `flow`),
 * so the CustomMessage trigger words the mail as an administrator's reset.
 */
export const ADMIN_RESET_FLOW = 'admin-reset';

/** Metadata keys the BFF accepts from frontends and the triggers understand. */
export const BUILTIN_METADATA_KEYS = ['locale', 'redirectUri', 'app'] as const;

const PREFIX = 'bff:';

/** Builds settings from `bff:*` context values (cdk.json or `-c`), validating them early. */
export function settingsFromContext(get: (key: string) => unknown): Settings {
  const pick = <T>(key: string, fallback: T): T => {
    const value = get(PREFIX + key);
    return value === undefined ? fallback : (value as T);
  };
  const settings: Settings = {
    ...defaultSettings,
    allowedOrigins: pick('allowedOrigins', defaultSettings.allowedOrigins),
    redirectAllowlist: pick('redirectAllowlist', defaultSettings.redirectAllowlist),
    locales: pick('locales', defaultSettings.locales),
    defaultLocale: pick('defaultLocale', defaultSettings.defaultLocale),
    adminGroupName: pick('adminGroupName', defaultSettings.adminGroupName),
    defaultGroupName: pick('defaultGroupName', defaultSettings.defaultGroupName),
    clientMetadataKeys: pick('clientMetadataKeys', defaultSettings.clientMetadataKeys),
    passwordPolicy: { ...defaultSettings.passwordPolicy, ...pick('passwordPolicy', {}) },
    client: { ...defaultSettings.client, ...pick('client', {}) },
    signOutOnPasswordReset: pick('signOutOnPasswordReset', defaultSettings.signOutOnPasswordReset),
    throttle: { ...defaultSettings.throttle, ...pick('throttle', {}) },
    publicRouteThrottle: { ...defaultSettings.publicRouteThrottle, ...pick('publicRouteThrottle', {}) },
  };
  validateSettings(settings);
  return settings;
}

const isLocalhost = (url: URL) => url.hostname === 'localhost' || url.hostname === '127.0.0.1';

/** Throws with a lowercase message naming the bad value. */
export function validateSettings(s: Settings): void {
  for (const origin of s.allowedOrigins) {
    if (origin === '*') throw new Error('allowedOrigins must list origins, not "*"');
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`allowedOrigins: "${origin}" is not a URL origin`);
    }
    if (url.origin !== origin) throw new Error(`allowedOrigins: "${origin}" must be a bare origin (got path or slash)`);
  }
  for (const entry of s.redirectAllowlist) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`redirectAllowlist: "${entry}" is not an absolute URL`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalhost(url))) {
      throw new Error(`redirectAllowlist: "${entry}" must use https (http only for localhost)`);
    }
    if (url.search || url.hash) throw new Error(`redirectAllowlist: "${entry}" must not carry a query or fragment`);
  }
  if (s.locales.length === 0) throw new Error('locales must not be empty');
  if (!s.locales.includes(s.defaultLocale)) {
    throw new Error(`defaultLocale "${s.defaultLocale}" is not one of locales (${s.locales.join(', ')})`);
  }
  const p = s.passwordPolicy;
  if (!Number.isInteger(p.minLength) || p.minLength < 8 || p.minLength > 99) {
    throw new Error(`passwordPolicy.minLength must be an integer from 8 to 99, got ${p.minLength}`);
  }
  const t = s.client.tokenValidity;
  if (t.accessTokenMinutes < 5 || t.accessTokenMinutes > 1440) {
    throw new Error(`tokenValidity.accessTokenMinutes must be 5-1440, got ${t.accessTokenMinutes}`);
  }
  if (t.idTokenMinutes < 5 || t.idTokenMinutes > 1440) {
    throw new Error(`tokenValidity.idTokenMinutes must be 5-1440, got ${t.idTokenMinutes}`);
  }
  if (t.refreshTokenDays < 1 || t.refreshTokenDays > 3650) {
    throw new Error(`tokenValidity.refreshTokenDays must be 1-3650, got ${t.refreshTokenDays}`);
  }
  for (const key of s.clientMetadataKeys) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(key)) throw new Error(`clientMetadataKeys: "${key}" is not a simple key`);
  }
  if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(s.adminGroupName)) {
    throw new Error(`adminGroupName "${s.adminGroupName}" is not a valid group name`);
  }
}

/** True when `uri` is on the allowlist: same origin and a path under an entry's path. */
export function isAllowedRedirect(uri: string, allowlist: readonly string[]): boolean {
  if (uri.length > 1024) return false;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalhost(url))) return false;
  if (url.username || url.password) return false;
  return allowlist.some((entry) => {
    const allowed = new URL(entry);
    return allowed.origin === url.origin && url.pathname.startsWith(allowed.pathname);
  });
}
