/**
 * The redirect allowlist rule, shared by the settings, the HTTP chain and both triggers, and
 * what a mailed link says it is for.
 */

export const isLocalhost = (url: URL) => url.hostname === 'localhost' || url.hostname === '127.0.0.1';

/** A percent-encoded `/` or `\`: a server behind the link may decode it into a path separator. */
const ENCODED_SEPARATOR = /%(2f|5c)/i;

/** What an allowlist entry allows: its origin, and its path exactly or, ending with `/`, as a prefix. */
const allows = (entry: string, url: URL): boolean => {
  let allowed: URL;
  try {
    allowed = new URL(entry);
  } catch {
    return false;
  }
  if (allowed.origin !== url.origin) return false;
  return allowed.pathname.endsWith('/') ? url.pathname.startsWith(allowed.pathname) : url.pathname === allowed.pathname;
};

/**
 * The link target for `uri` (origin plus path) when the allowlist allows it, else undefined.
 *
 * - An entry allows its origin plus exactly its path (`https://app.example.com/reset` allows
 *   `/reset` only, not `/resetevil`), or, when its path ends with `/`, any path under it.
 * - The URI must be written as the URL parser writes it back (lower-case host, no default port,
 *   no dot segments, no tab or backslash), so that no browser or server reads it differently.
 * - No query or fragment (`/reset?next=https://evil` is refused: the link's fragment is ours), no
 *   credentials, no encoded separator (`%2f`, `%5c`, any case: `/reset%2f..%2fadmin`).
 * - https only, except http://localhost and http://127.0.0.1 for development.
 */
export function allowedRedirect(uri: string, allowlist: readonly string[]): string | undefined {
  if (uri.length > 1024 || ENCODED_SEPARATOR.test(uri) || uri.includes('?') || uri.includes('#')) return undefined;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.href !== uri) return undefined;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalhost(url))) return undefined;
  if (url.username || url.password) return undefined;
  return allowlist.some((entry) => allows(entry, url)) ? `${url.origin}${url.pathname}` : undefined;
}

/** True when `uri` is on the allowlist (see {@link allowedRedirect}). */
export const isAllowedRedirect = (uri: string, allowlist: readonly string[]): boolean =>
  allowedRedirect(uri, allowlist) !== undefined;

/**
 * What a mailed link is for, stated first in its fragment (`#flow=reset&code=...&username=...`),
 * so that one page can tell a sign-up link from a reset link.
 */
export const LINK_FLOWS = ['confirm', 'reset', 'verify', 'invite', 'sign-in'] as const;
export type LinkFlow = (typeof LINK_FLOWS)[number];
