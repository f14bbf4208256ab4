/**
 * The message gallery: every message kind x locale rendered by the CustomMessage trigger's own
 * code with sample data, served by `npm start` at /_local/messages (loopback only, like every
 * /_local panel) and written to static files by `npm run messages:preview`.
 */
import { loadConfig, toEnvironment } from '../lambdas/shared/config';
import type { Settings } from '../lambdas/shared/settings';
import { catalogs } from '../lambdas/triggers/custom-message/locales';
import { MESSAGE_KINDS, type MessageKind } from '../lambdas/triggers/custom-message/locales/schema';
import { type RenderConfig, type Rendered, render } from '../lambdas/triggers/custom-message/templates';

/** What Cognito puts in place of the placeholders, for the preview. */
const SAMPLE = { code: '482913', username: 'jane@example.com', name: 'Jane Doe' } as const;

/** Trigger source (and flow) of each kind, as the gallery labels it. */
const SOURCE: Readonly<Record<MessageKind, string>> = {
  signUp: 'CustomMessage_SignUp',
  resendCode: 'CustomMessage_ResendCode',
  forgotPassword: 'CustomMessage_ForgotPassword',
  adminResetPassword: 'CustomMessage_ForgotPassword (admin reset)',
  updateUserAttribute: 'CustomMessage_UpdateUserAttribute',
  verifyUserAttribute: 'CustomMessage_VerifyUserAttribute',
  adminCreateUser: 'CustomMessage_AdminCreateUser',
  authentication: 'CustomMessage_Authentication',
};

export interface GalleryEntry {
  readonly locale: string;
  readonly kind: MessageKind;
  readonly source: string;
  /** As Cognito would deliver it: placeholders replaced by the sample values. */
  readonly message: Rendered;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const deliver = (text: string) => text.replaceAll('{####}', SAMPLE.code).replaceAll('{username}', SAMPLE.username);

/** The trigger's configuration from the product settings, as deployed. */
export const galleryConfig = (settings: Settings): RenderConfig =>
  loadConfig('customMessage', toEnvironment('customMessage', settings, {}));

export function galleryEntries(config: RenderConfig): GalleryEntry[] {
  const locales = config.locales.filter((l) => catalogs[l]);
  return locales.flatMap((locale) =>
    MESSAGE_KINDS.map((kind) => {
      const r = render(
        {
          kind,
          locale,
          codeParameter: '{####}',
          usernameParameter: kind === 'adminCreateUser' ? '{username}' : null,
          redirectUri: config.redirectAllowlist[0]?.replace(/\/?$/, '/'),
          linkUsername: SAMPLE.username,
          name: SAMPLE.name,
        },
        config,
      );
      const message = {
        emailSubject: deliver(r.emailSubject),
        emailMessage: deliver(r.emailMessage),
        smsMessage: deliver(r.smsMessage),
      };
      return { locale, kind, source: SOURCE[kind], message };
    }),
  );
}

export const entryFile = (e: Pick<GalleryEntry, 'locale' | 'kind'>) => `${e.locale}-${e.kind}.html`;

/** One page: every entry with its subject, SMS and the email in a sandboxed frame. */
export function galleryPage(entries: readonly GalleryEntry[], links: 'inline' | 'files'): string {
  const sections = entries.map((e) =>
    [
      `<section id="${esc(`${e.locale}-${e.kind}`)}">`,
      `<h2>${esc(e.locale)} · ${esc(e.source)}</h2>`,
      `<p><b>Subject:</b> ${esc(e.message.emailSubject)}</p>`,
      `<p><b>SMS (${e.message.smsMessage.length}/140):</b> ${esc(e.message.smsMessage)}</p>`,
      links === 'files' ? `<p><a href="${esc(entryFile(e))}">Email on its own page</a></p>` : '',
      `<iframe sandbox title="${esc(`${e.locale} ${e.kind} email`)}" srcdoc="${esc(e.message.emailMessage)}"></iframe>`,
      '</section>',
    ].join('\n'),
  );
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Messages</title>',
    '<style>body{font-family:system-ui,sans-serif;margin:24px}section{margin:0 0 32px}',
    'iframe{width:640px;height:520px;border:1px solid #ccc;background:#fff}</style></head><body>',
    `<h1>Messages: ${entries.length} (every message x locale, sample data)</h1>`,
    ...sections,
    '</body></html>',
  ].join('\n');
}
