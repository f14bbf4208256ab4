/**
 * Pure message rendering: locale choice, the allowlisted link, Cognito's limits. Texts come
 * from the locale files (./locales), the HTML from the layout template (./templates/layout.eta),
 * which escapes every value. Every value from ClientMetadata or user attributes is length-capped
 * and cleaned of control characters here.
 */
import { type LinkFlow, allowedRedirect } from '../../shared/redirect';
import { type Catalog, type MessageKind, catalogs } from './locales';
import { type Brand, renderLayout } from './templates/layout';

export type { Brand } from './templates/layout';

export const LIMITS = { subject: 140, email: 20_000, sms: 140, value: 64 } as const;

export interface RenderInput {
  readonly kind: MessageKind;
  readonly codeParameter: string;
  /** Only for AdminCreateUser. */
  readonly usernameParameter?: string | null;
  readonly locale?: string;
  readonly redirectUri?: string;
  /** Username to put in the link (the email the person signs in with). */
  readonly linkUsername?: string;
  readonly name?: string;
  /** `clientMetadata.app`: an id of {@link RenderConfig.apps}, never text to show. */
  readonly app?: string;
}

export interface RenderConfig {
  readonly locales: readonly string[];
  readonly defaultLocale: string;
  readonly redirectAllowlist: readonly string[];
  readonly appName: string;
  /** App id -> display name (bff:apps). */
  readonly apps: Readonly<Record<string, string>>;
  /** Colours, logo and support address (bff:brand); the product name is appName. */
  readonly brand: Readonly<Record<string, string>>;
}

/** Brand defaults: a neutral blue on light grey. */
export const BRAND_DEFAULTS = { primaryColor: '#0a66c2', backgroundColor: '#f5f5f7', textColor: '#1d1d1f' } as const;

/** The brand of a configuration: bff:brand over {@link BRAND_DEFAULTS}, and appName. */
export function brandOf(config: Pick<RenderConfig, 'brand' | 'appName'>): Brand {
  const b = config.brand;
  return {
    productName: config.appName,
    primaryColor: b.primaryColor ?? BRAND_DEFAULTS.primaryColor,
    backgroundColor: b.backgroundColor ?? BRAND_DEFAULTS.backgroundColor,
    textColor: b.textColor ?? BRAND_DEFAULTS.textColor,
    ...(b.logoUrl ? { logoUrl: b.logoUrl } : {}),
    ...(b.supportEmail ? { supportEmail: b.supportEmail } : {}),
  };
}

export interface Rendered {
  readonly emailSubject: string;
  readonly emailMessage: string;
  readonly smsMessage: string;
}

/** Trims, drops control characters and caps the length of an untrusted value. */
export const clean = (value: string | undefined, max: number = LIMITS.value) =>
  (value ?? '')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .slice(0, max);

/** BCP 47 tag -> a supported catalog: exact tag, then its language, then the default. */
export function resolveLocale(tag: string | undefined, config: RenderConfig): string {
  const supported = config.locales.filter((l) => catalogs[l]);
  const candidates = tag && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? [tag, tag.split('-')[0] ?? ''] : [];
  for (const candidate of candidates) {
    const match = supported.find((l) => l.toLowerCase() === candidate.toLowerCase());
    if (match) return match;
  }
  return supported.includes(config.defaultLocale) ? config.defaultLocale : 'en';
}

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

/** What each message's link is for: the first thing its fragment says. */
export const LINK_FLOW: Readonly<Record<MessageKind, LinkFlow>> = {
  signUp: 'confirm',
  resendCode: 'confirm',
  forgotPassword: 'reset',
  adminResetPassword: 'reset',
  updateUserAttribute: 'verify',
  verifyUserAttribute: 'verify',
  adminCreateUser: 'invite',
  authentication: 'sign-in',
};

/**
 * The link, only to an allowlisted target (origin plus path: no query), with the flow, the code
 * and the username in the fragment, which browsers never send to a server.
 */
export function buildLink(input: RenderInput, config: RenderConfig): string | undefined {
  const target = input.redirectUri && allowedRedirect(input.redirectUri, config.redirectAllowlist);
  if (!target) return undefined;
  const username = encodeURIComponent(clean(input.linkUsername, 256));
  // The code placeholder stays literal: Cognito replaces it after the trigger answers.
  return `${target}#flow=${LINK_FLOW[input.kind]}&code=${input.codeParameter}&username=${username}`;
}

/**
 * Messages to an address that nobody has proven to own: sign-up and its resend, a new email
 * (UpdateUserAttributes) and an unverified one (GetUserAttributeVerificationCode). Whoever typed
 * that address also typed the name, so these greet nobody by name: our mail must not carry
 * text of a stranger's choosing to someone else's inbox. A reset goes only to a verified address
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html:
 * "If neither a verified phone number nor a verified email exists, Amazon Cognito responds with an
 * InvalidParameterException"), and an invitation's name comes from an administrator.
 */
export const TO_UNVERIFIED_ADDRESS: ReadonlySet<MessageKind> = new Set<MessageKind>([
  'signUp',
  'resendCode',
  'updateUserAttribute',
  'verifyUserAttribute',
]);

/** The name a message shows: the display name of a configured app id, else the brand (appName). */
export const appDisplayName = (id: string | undefined, config: RenderConfig): string =>
  (id !== undefined && Object.hasOwn(config.apps, id) ? config.apps[id] : undefined) ?? config.appName;

export function render(input: RenderInput, config: RenderConfig): Rendered {
  const locale = resolveLocale(input.locale, config);
  const catalog: Catalog = catalogs[locale] ?? (catalogs.en as Catalog);
  const template = catalog.messages[input.kind];
  const app = clean(appDisplayName(input.app, config)) || config.appName;
  const name = TO_UNVERIFIED_ADDRESS.has(input.kind) ? '' : clean(input.name);
  const usernameParameter = input.usernameParameter ?? '';
  const brand = brandOf(config);
  // Plain text here; the layout template escapes what goes into the HTML.
  const values = { app, name, username: usernameParameter, code: input.codeParameter };
  const link = buildLink(input, config);
  const subject = fill(template.subject, values).slice(0, LIMITS.subject);
  const body = renderLayout({
    lang: locale,
    subject,
    greeting: name ? fill(catalog.greeting, values) : catalog.greetingAnonymous,
    intro: fill(template.intro, values),
    codeLabel: catalog.codeLabel,
    code: { placeholder: input.codeParameter },
    link: link ? { href: link, label: template.action } : null,
    expires: catalog.expires,
    footer: fill(catalog.footer, values),
    support: brand.supportEmail ? fill(catalog.support, { support: brand.supportEmail }) : null,
    brand,
  });
  const sms = fill(template.sms, { ...values, app: app.slice(0, 20) });
  return {
    emailSubject: subject,
    emailMessage: body,
    smsMessage: sms.length <= LIMITS.sms ? sms : `${usernameParameter} ${input.codeParameter}`.trim(),
  };
}

/** The message Cognito would send, when a template cannot be rendered. */
export function fallback(codeParameter: string, usernameParameter?: string | null): Rendered {
  const emailMessage = usernameParameter
    ? `Your username is ${usernameParameter} and your temporary password is ${codeParameter}.`
    : `Your verification code is ${codeParameter}.`;
  return { emailSubject: 'Your verification code', emailMessage, smsMessage: emailMessage };
}
