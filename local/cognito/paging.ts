/**
 * List operations page like Cognito's: at most the page size the request asks for (the model's
 * range is checked before, see validate.ts; absent or 0 means the largest page, 60), and a
 * NextToken (ListUsers: PaginationToken) whenever more items follow, which the next request hands
 * back to continue after the last item it saw. A token is opaque, bound to the list it came from,
 * and survives items being added or removed between pages.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html
 */
import { err } from './model';

export const MAX_PAGE = 60;

interface Token {
  readonly list: string;
  readonly after: string;
}

function readToken(token: string, list: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Token>;
    if (parsed.list === list && typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through
  }
  throw err.invalidParameter('Invalid pagination token.');
}

/**
 * One page of `items` in the order of `key` (which must be unique): those after the token's key,
 * at most `limit` of them, and the token for the next page if any is left.
 */
export function page<T>(
  list: string,
  items: readonly T[],
  key: (item: T) => string,
  limit: number | undefined,
  token: string | undefined,
): { items: T[]; next?: string } {
  const size = limit === undefined || limit === 0 ? MAX_PAGE : limit;
  const after = token === undefined ? undefined : readToken(token, list);
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((item) => key(item) > after);
  const taken = rest.slice(0, size);
  const last = taken.at(-1);
  return rest.length > size && last !== undefined
    ? { items: taken, next: Buffer.from(JSON.stringify({ list, after: key(last) })).toString('base64url') }
    : { items: taken };
}
