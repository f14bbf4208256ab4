/** The redirect allowlist rule, shared by the settings, the HTTP chain and both triggers. */

export const isLocalhost = (url: URL) => url.hostname === 'localhost' || url.hostname === '127.0.0.1';

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
