/**
 * List operations page like Cognito's: at most the page size the request asks for (the model's
 * range is checked before, see validate.ts; absent or 0 means the largest page, 60), and a
 * NextToken (ListUsers: PaginationToken) whenever more items follow, which the next request hands
 * back to continue after the last item it saw. Items come in the order they were added. A token is
 * opaque, bound to the list it came from, and survives items being added or removed between pages.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html
 */
import { err } from './model';

export const MAX_PAGE = 60;

/** Where the previous page ended: the key of its last item, and that item's position then. */
interface Token {
  readonly list: string;
  readonly after: string;
  readonly at: number;
}

function readToken(token: string, list: string): Token {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Token>;
    if (parsed.list === list && typeof parsed.after === 'string' && Number.isSafeInteger(parsed.at)) {
      return parsed as Token;
    }
  } catch {
    // fall through
  }
  throw err.invalidParameter('Invalid pagination token.');
}

/**
 * One page of `items` (in their order; `key` unique): those after the token's item (or, if that
 * one is gone, after its position), at most `limit`, and the token for the next page if any is left.
 */
export function page<T>(
  list: string,
  items: readonly T[],
  key: (item: T) => string,
  limit: number | undefined,
  token: string | undefined,
): { items: T[]; next?: string } {
  const size = limit === undefined || limit === 0 ? MAX_PAGE : limit;
  let start = 0;
  if (token !== undefined) {
    const { after, at } = readToken(token, list);
    const found = items.findIndex((item) => key(item) === after);
    start = found >= 0 ? found + 1 : Math.min(at + 1, items.length);
  }
  const taken = items.slice(start, start + size);
  const last = taken.at(-1);
  const end = start + taken.length;
  return end < items.length && last !== undefined
    ? { items: taken, next: Buffer.from(JSON.stringify({ list, after: key(last), at: end - 1 })).toString('base64url') }
    : { items: taken };
}
