/**
 * Pure message rendering: locale choice, escaping, the allowlisted link, Cognito's limits.
 * Every value from ClientMetadata or user attributes is escaped and length-capped here.
 */
import { type LinkFlow, allowedRedirect } from '../../shared/redirect';
import { type Catalog, type MessageKind, catalogs } from './locales';

export const LIMITS = { subject: 140, email: 20_000, sms: 140, value: 64 } as const;

/** Inline styles of the email layout (mail clients ignore style sheets). */
const STYLES = {
  body:
    'margin:0;padding:24px;background:#f5f5f7;' +
    'font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d1d1f',
  code: 'font-size:28px;font-weight:700;letter-spacing:4px;margin:0 0 24px;font-family:ui-monospace,Menlo,monospace',
  button:
    'display:inline-block;background:#0a66c2;color:#fff;padding:12px 20px;border-radius:6px;' +
    'text-decoration:none;font-weight:600',
} as const;

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
}

export interface Rendered {
  readonly emailSubject: string;
  readonly emailMessage: string;
  readonly smsMessage: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

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
  // Text values (subject, SMS) unescaped; HTML values escaped.
  const text = { app, name, username: usernameParameter, code: input.codeParameter };
  const html = { app: escapeHtml(app), name: escapeHtml(name), username: usernameParameter, code: input.codeParameter };
  const link = buildLink(input, config);
  const subject = fill(template.subject, text).slice(0, LIMITS.subject);
  const greeting = name ? fill(catalog.greeting, html) : catalog.greetingAnonymous;
  const body = [
    '<!doctype html>',
    `<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body style="${STYLES.body}">`,
    '<main style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:32px">',
    `<p style="font-size:16px;line-height:1.5;margin:0 0 16px">${greeting}</p>`,
    `<p style="font-size:16px;line-height:1.5;margin:0 0 24px">${fill(escapeHtml(template.intro), html)}</p>`,
    `<p style="font-size:14px;margin:0 0 8px;color:#515154">${escapeHtml(catalog.codeLabel)}</p>`,
    `<p style="${STYLES.code}">${input.codeParameter}</p>`,
    link
      ? `<p style="margin:0 0 24px"><a href="${escapeHtml(link)}" style="${STYLES.button}">` +
        `${escapeHtml(template.action)}</a></p>`
      : '',
    `<p style="font-size:13px;line-height:1.5;color:#515154;margin:0 0 8px">${escapeHtml(catalog.expires)}</p>`,
    `<p style="font-size:13px;color:#515154;margin:0">${fill(escapeHtml(catalog.footer), html)}</p>`,
    '</main></body></html>',
  ].join('');
  const sms = fill(template.sms, { ...text, app: app.slice(0, 20) });
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
