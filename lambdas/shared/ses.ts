/**
 * Notices the BFF mails itself, through Amazon SES v2 SendEmail (POST /v2/email/outbound-emails, REST-JSON:
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html), from bff:email's sender and
 * configuration set. Cognito's own mail sends only its codes, so a notice needs a channel that sends any mail
 * (ROUND2). One signed HTTPS call (signed-request.ts), loaded by the notice functions on first use only. The
 * function may call ses:SendEmail on that identity (and configuration set) only (lib/constructs/bff-api.ts).
 * Locally the call goes to the local stack's SES (SES_ENDPOINT), which puts the mail in the outbox.
 *
 * A notice carries no code, no token, no link and no value a request chose beyond a masked address: it only
 * tells the owner of an address what happened to the account.
 */
import type { MailConfig, NoticeKind } from './config';
import { logger } from './logger';
import { currentMetrics } from './metrics';
import { signedPost } from './signed-request';

interface NoticeText {
  readonly subject: string;
  /** `{address}`: the new address, masked; `{app}`: the product name. */
  readonly body: string;
}

/**
 * The notice texts, by locale (the languages of the message catalogs). A notice goes to the existing owner's
 * address, so it greets no one by name (a name is whatever the last writer of the attribute chose).
 */
const TEXTS: Readonly<Record<string, Readonly<Record<NoticeKind, NoticeText>>>> = {
  en: {
    emailChange: {
      subject: 'Your email address is being changed',
      body:
        'Hello,\n\nA request to change the email address of your account to {address} was just made, and a code ' +
        'was sent there. If it was you, there is nothing to do.\n\nIf it was not you, sign in and change your ' +
        'password now: someone else may have access to your account.',
    },
    duplicateSignUp: {
      subject: 'Someone tried to sign up with your email address',
      body:
        'Hello,\n\nSomeone just tried to create an account with this email address, which already has one. ' +
        'If it was you, sign in instead, or reset your password if you forgot it.\n\nIf it was not you, you can ' +
        'ignore this email: your account has not changed.',
    },
  },
  fr: {
    emailChange: {
      subject: 'Votre adresse e-mail est en cours de modification',
      body:
        'Bonjour,\n\nUne demande de remplacement de l’adresse e-mail de votre compte par {address} vient d’être ' +
        'faite, et un code y a été envoyé. Si c’était vous, il n’y a rien à faire.\n\nSinon, connectez-vous et ' +
        'changez votre mot de passe maintenant : quelqu’un d’autre a peut-être accès à votre compte.',
    },
    duplicateSignUp: {
      subject: 'Quelqu’un a tenté de s’inscrire avec votre adresse e-mail',
      body:
        'Bonjour,\n\nQuelqu’un vient de tenter de créer un compte avec cette adresse e-mail, qui en a déjà un. ' +
        'Si c’était vous, connectez-vous, ou réinitialisez votre mot de passe si vous l’avez oublié.\n\nSinon, ' +
        'vous pouvez ignorer cet e-mail : votre compte n’a pas changé.',
    },
  },
  de: {
    emailChange: {
      subject: 'Ihre E-Mail-Adresse wird geändert',
      body:
        'Hallo,\n\nSoeben wurde beantragt, die E-Mail-Adresse Ihres Kontos in {address} zu ändern, und dorthin ' +
        'wurde ein Code gesendet. Wenn Sie das waren, ist nichts zu tun.\n\nWenn nicht, melden Sie sich an und ' +
        'ändern Sie jetzt Ihr Passwort: Jemand anderes hat möglicherweise Zugriff auf Ihr Konto.',
    },
    duplicateSignUp: {
      subject: 'Jemand hat versucht, sich mit Ihrer E-Mail-Adresse zu registrieren',
      body:
        'Hallo,\n\nJemand hat soeben versucht, mit dieser E-Mail-Adresse ein Konto anzulegen, obwohl es bereits ' +
        'eines gibt. Wenn Sie das waren, melden Sie sich an oder setzen Sie Ihr Passwort zurück.\n\nWenn nicht, ' +
        'können Sie diese E-Mail ignorieren: Ihr Konto ist unverändert.',
    },
  },
  es: {
    emailChange: {
      subject: 'Se está cambiando su dirección de correo electrónico',
      body:
        'Hola:\n\nSe acaba de solicitar cambiar la dirección de correo de su cuenta a {address}, y se ha enviado ' +
        'un código allí. Si fue usted, no tiene que hacer nada.\n\nSi no fue usted, inicie sesión y cambie su ' +
        'contraseña ahora: otra persona podría tener acceso a su cuenta.',
    },
    duplicateSignUp: {
      subject: 'Alguien intentó registrarse con su dirección de correo',
      body:
        'Hola:\n\nAlguien acaba de intentar crear una cuenta con esta dirección de correo, que ya tiene una. Si ' +
        'fue usted, inicie sesión o restablezca su contraseña si la olvidó.\n\nSi no fue usted, puede ignorar ' +
        'este correo: su cuenta no ha cambiado.',
    },
  },
};

/** The text of a notice in the request's locale (`clientMetadata.locale`: `de-AT` reads `de`), else English. */
export function noticeText(notice: NoticeKind, locale: string | undefined, address = ''): NoticeText {
  const language = (locale ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  const texts = (Object.hasOwn(TEXTS, language) ? TEXTS[language] : TEXTS.en) ?? TEXTS.en;
  const text = (texts ?? {})[notice] as NoticeText;
  return { subject: text.subject, body: text.body.replaceAll('{address}', address) };
}

/** `jane.doe@example.com` -> `j***@e***`, as Cognito masks a destination: a notice never shows a full address. */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  const first = (text: string) => Array.from(text)[0] ?? '';
  return at < 0 ? `${first(email)}***` : `${first(email.slice(0, at))}***@${first(email.slice(at + 1))}***`;
}

export interface MailTarget {
  readonly mail: MailConfig;
  /** Local stack only. @default - SES's regional endpoint */
  readonly endpoint?: string;
}

/** Sends one plain-text mail through SES v2; throws with the SES error type (never the address) on failure. */
export async function sendMail(target: MailTarget, to: string, text: NoticeText): Promise<void> {
  const { mail } = target;
  const region = mail.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const url = new URL('/v2/email/outbound-emails', target.endpoint ?? `https://email.${region}.amazonaws.com`);
  const answer = await signedPost({
    service: 'ses',
    region,
    url,
    headers: { 'content-type': 'application/json' },
    body: {
      FromEmailAddress: mail.from,
      Destination: { ToAddresses: [to] },
      ...(mail.replyTo ? { ReplyToAddresses: [mail.replyTo] } : {}),
      ...(mail.configurationSet ? { ConfigurationSetName: mail.configurationSet } : {}),
      Content: {
        Simple: {
          Subject: { Data: text.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: text.body, Charset: 'UTF-8' } },
        },
      },
    },
  });
  if (answer.errorType) throw new Error(`SES SendEmail failed: ${answer.errorType}`);
}

/**
 * Sends a notice and never throws: the request it belongs to has already succeeded (an email change) or must
 * answer as if nothing happened (a hidden duplicate sign-up). A failure is logged (the error's name and SES's
 * error type, never the address) and counted (NoticeFailures, alarmed with the trigger failures).
 */
export async function sendNotice(
  target: MailTarget,
  to: string,
  notice: NoticeKind,
  locale: string | undefined,
  address?: string,
): Promise<boolean> {
  try {
    await sendMail(target, to, noticeText(notice, locale, address));
    return true;
  } catch (error) {
    logger.warn('notice not sent', { notice, errorName: (error as Error).name, reason: (error as Error).message });
    currentMetrics()?.count('NoticeFailures', { notice });
    return false;
  }
}
