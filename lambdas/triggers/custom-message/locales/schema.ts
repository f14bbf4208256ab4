/**
 * The shape every locale file (`<tag>.json` beside this file) must have: every message kind with
 * its subject, intro, action and SMS text, and only the placeholders each text may use. Checked
 * when the catalog index is generated (so a broken locale fails the build) and by a test.
 */

/** Every message the trigger sends: Cognito's CustomMessage sources, plus the admin reset. */
export const MESSAGE_KINDS = [
  'signUp',
  'resendCode',
  'forgotPassword',
  'adminResetPassword',
  'updateUserAttribute',
  'verifyUserAttribute',
  'adminCreateUser',
  'authentication',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export interface MessageText {
  readonly subject: string;
  readonly intro: string;
  readonly action: string;
  readonly sms: string;
}

export interface Catalog {
  readonly greeting: string;
  readonly greetingAnonymous: string;
  readonly codeLabel: string;
  readonly expires: string;
  /** Sign-off: `{app}` is the product name. */
  readonly footer: string;
  /** Shown under the footer when the brand has a support address: `{support}`. */
  readonly support: string;
  readonly messages: Readonly<Record<MessageKind, MessageText>>;
}

const TOP_TEXTS = ['greeting', 'greetingAnonymous', 'codeLabel', 'expires', 'footer', 'support'] as const;
const MESSAGE_TEXTS = ['subject', 'intro', 'action', 'sms'] as const;

/** Placeholders each text may use. The code is never in a text: the layout places it. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  greeting: ['name'],
  footer: ['app'],
  support: ['support'],
  subject: ['app'],
  intro: ['app'],
  sms: ['app', 'code'],
};

/** Placeholders each text must use. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  greeting: ['name'],
  support: ['support'],
  sms: ['code'],
};

/** The admin-created user's username must be in the email (intro) and the SMS (Cognito's rule). */
const USERNAME_IN: Readonly<Partial<Record<MessageKind, readonly string[]>>> = { adminCreateUser: ['intro', 'sms'] };

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');

function checkText(path: string, field: string, value: unknown, extra: readonly string[]): string[] {
  if (typeof value !== 'string' || value.trim() === '') return [`${path}: must be a non-empty string`];
  const allowed = [...(ALLOWED[field] ?? []), ...extra];
  const problems = placeholders(value)
    .filter((p) => !allowed.includes(p))
    .map((p) => `${path}: placeholder {${p}} is not allowed here (allowed: ${allowed.join(', ') || 'none'})`);
  for (const p of [...(REQUIRED[field] ?? []), ...extra]) {
    if (!value.includes(`{${p}}`)) problems.push(`${path}: must contain {${p}}`);
  }
  if (/[<>]/.test(value)) problems.push(`${path}: no markup (the layout template owns the HTML)`);
  return problems;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every problem of a parsed locale file, in words; empty when it is a valid {@link Catalog}. */
export function catalogProblems(value: unknown): string[] {
  if (!isRecord(value)) return ['the file must hold a JSON object'];
  const problems: string[] = [];
  const known = new Set<string>([...TOP_TEXTS, 'messages']);
  for (const key of Object.keys(value)) if (!known.has(key)) problems.push(`${key}: unknown key`);
  for (const field of TOP_TEXTS) problems.push(...checkText(field, field, value[field], []));
  const messages = value.messages;
  if (!isRecord(messages)) return [...problems, 'messages: must be an object with every message kind'];
  for (const key of Object.keys(messages)) {
    if (!(MESSAGE_KINDS as readonly string[]).includes(key)) problems.push(`messages.${key}: unknown message kind`);
  }
  for (const kind of MESSAGE_KINDS) {
    const message = messages[kind];
    if (!isRecord(message)) {
      problems.push(`messages.${kind}: missing`);
      continue;
    }
    for (const field of MESSAGE_TEXTS) {
      const extra = USERNAME_IN[kind]?.includes(field) ? ['username'] : [];
      problems.push(...checkText(`messages.${kind}.${field}`, field, message[field], extra));
    }
  }
  return problems;
}

/** A locale file's name without `.json`: a BCP 47 tag such as `en`, `pt-BR`. */
export const LOCALE_FILE = /^([a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\.json$/;
