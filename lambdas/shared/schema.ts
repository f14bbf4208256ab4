/**
 * The Cognito constraints from the API reference, once: every route schema is built from these.
 * zod/mini keeps each bundle small (full zod adds ~440 KB); each schema is built on first use.
 */
import * as z from 'zod/mini';
import { lazy } from './lazy';

const bounded = (min: number, max: number, pattern: RegExp) =>
  z.string().check(z.minLength(min), z.maxLength(max), z.regex(pattern));

/**
 * Cognito's username and attribute-name characters (API reference: `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`). Kept as
 * text and made into a RegExp inside the lazy schemas: V8 checks a regular-expression LITERAL while it parses the
 * bundle, and for these Unicode property classes that check builds and sorts the ranges of five categories, about
 * 7 M instructions each (measured with callgrind), which every function paid at cold start, used or not.
 */
export const COGNITO_NAME_CHARACTERS = String.raw`[\p{L}\p{M}\p{S}\p{N}\p{P}]`;

/**
 * A username as the BFF passes it on: trimmed, in Unicode NFC, and lower-cased when it is an email (the pool
 * signs in with email). Done here, once, at the boundary: `Alice@Example.com ` and `alice@example.com` are one
 * user, `e` + U+0301 and `é` too, so no look-alike duplicate is created, and every answer that is derived from
 * the username (the masked destination) is the same for both spellings.
 */
export const normalizeUsername = (value: string): string => {
  const text = value.trim().normalize('NFC');
  return text.includes('@') ? text.toLowerCase() : text;
};

/** Username: 1-128 of [\p{L}\p{M}\p{S}\p{N}\p{P}]+ once normalized ({@link normalizeUsername}). */
export const username = lazy(() =>
  z
    .string()
    .check(
      z.overwrite(normalizeUsername),
      z.minLength(1),
      z.maxLength(128),
      z.regex(new RegExp(`^${COGNITO_NAME_CHARACTERS}+$`, 'u')),
      z.describe('Trimmed, put in Unicode NFC and, for an email, lower-cased by the BFF.'),
    ),
);
/** Confirmation code: 1-2048 of [\S]+. */
export const code = lazy(() => bounded(1, 2048, /^\S+$/));
/** Password: at most 256 of [\S]+ (the pool's policy is checked by Cognito). */
export const password = lazy(() => bounded(1, 256, /^\S+$/));
/** Session of an auth challenge: 20-2048 characters. */
export const session = lazy(() => z.string().check(z.minLength(20), z.maxLength(2048)));
/** A JWT or opaque token. */
export const token = lazy(() => bounded(1, 8192, /^[A-Za-z0-9\-_=.]+$/));
/** Attribute name: 1-32 of [\p{L}\p{M}\p{S}\p{N}\p{P}]+, never Cognito's own. */
export const attributeName = lazy(() => bounded(1, 32, new RegExp(`^(?!cognito:)${COGNITO_NAME_CHARACTERS}+$`, 'u')));
/** Attribute value: at most 2048 characters. */
export const attributeValue = lazy(() => z.string().check(z.maxLength(2048)));
/** A record with between `min` and `max` entries. */
export const entries = (min: number, max: number) =>
  z.refine<Record<string, string>>((value) => {
    const n = Object.keys(value).length;
    return n >= min && n <= max;
  }, `must have ${min} to ${max} entries`);
/**
 * The attributes that name a user (a sign-in alias, the recovery address) in the form their username would take:
 * an email as {@link normalizeUsername} puts it, so that `Jose\u0301@Example.com` given as a new email is the
 * `josé@example.com` that may already be someone's; a preferred username trimmed and in NFC; a phone number
 * trimmed. Other attributes (a name, a locale) are the user's text and stay as sent.
 */
const ALIAS_FORMS: Readonly<Record<string, (value: string) => string>> = {
  email: normalizeUsername,
  preferred_username: (value) => value.trim().normalize('NFC'),
  phone_number: (value) => value.trim(),
};
export const normalizeAttributes = (attributes: Record<string, string>): Record<string, string> => {
  let normalized: Record<string, string> | undefined;
  for (const [name, formOf] of Object.entries(ALIAS_FORMS)) {
    const value = attributes[name];
    if (typeof value !== 'string') continue;
    const form = formOf(value);
    if (form !== value) (normalized ??= { ...attributes })[name] = form;
  }
  return normalized ?? attributes;
};
/** Attributes as a map of name to value, `min` to 50 of them, aliases normalized ({@link normalizeAttributes}). */
export const attributeMap = (min: number) =>
  z
    .record(attributeName(), attributeValue())
    .check(
      z.overwrite(normalizeAttributes),
      entries(min, 50),
      z.describe('`email` is trimmed, put in Unicode NFC and lower-cased by the BFF, like a username.'),
    );

/** Metadata keys are checked against the deployed list in the HTTP chain; shapes here. */
export const MAX_METADATA_ENTRIES = 10;
export const clientMetadata = lazy(() =>
  z
    .record(bounded(1, 32, /^[A-Za-z][A-Za-z0-9_]*$/), z.string().check(z.maxLength(1024)))
    .check(entries(0, MAX_METADATA_ENTRIES)),
);

/** BCP 47 language tag (language, optional script/region/variants). */
export const BCP47 =
  /^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$/;

export const codeDelivery = lazy(() =>
  z.object({ destination: z.string(), medium: z.string(), attribute: z.string() }),
);

export const tokens = lazy(() =>
  z.object({
    accessToken: z.string(),
    idToken: z.string(),
    refreshToken: z.optional(z.string()),
    expiresIn: z.number(),
    tokenType: z.string(),
  }),
);
