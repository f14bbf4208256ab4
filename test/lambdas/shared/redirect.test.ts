/** The redirect allowlist rule (lambdas/shared/redirect.ts), used by the BFF's validation and by both triggers. */
import { describe, expect, it } from '@jest/globals';
import { allowedRedirect, isAllowedRedirect } from '../../../lambdas/shared/redirect';

const ALLOWLIST = ['https://app.example.com/reset', 'https://app.example.com/account/', 'http://localhost:3000/'];

describe('allowedRedirect', () => {
  it.each([
    ['https://app.example.com/reset', 'https://app.example.com/reset'],
    ['https://app.example.com/account/', 'https://app.example.com/account/'],
    ['https://app.example.com/account/reset', 'https://app.example.com/account/reset'],
    ['https://app.example.com/account/a/b', 'https://app.example.com/account/a/b'],
    ['http://localhost:3000/', 'http://localhost:3000/'],
    ['http://localhost:3000/reset', 'http://localhost:3000/reset'],
  ])('allows %s as %s', (uri, target) => {
    expect(allowedRedirect(uri, ALLOWLIST)).toBe(target);
  });

  it.each([
    // An exact entry is a path, not a prefix.
    'https://app.example.com/resetevil',
    'https://app.example.com/reset/',
    'https://app.example.com/reset/x',
    'https://app.example.com/Reset',
    // A prefix entry ends at `/`.
    'https://app.example.com/accountevil',
    'https://app.example.com/account',
    // Encoded separators, any case, anywhere.
    'https://app.example.com/reset%2f..%2fadmin',
    'https://app.example.com/account/%2F..%2Fadmin',
    'https://app.example.com/account/..%5cadmin',
    'https://app.example.com/account/%5C',
    // No query, no fragment: the fragment is the link's own.
    'https://app.example.com/reset?next=https://evil.example.net',
    'https://app.example.com/account/?x=1',
    'https://app.example.com/reset#flow=confirm',
    'https://app.example.com/reset?',
    // Only as the URL parser writes it back.
    'https://app.example.com/account/../admin',
    'https://app.example.com/account/%2e%2e/admin',
    'https://app.example.com/account\\..\\admin',
    'https://APP.example.com/reset',
    'https://app.example.com:443/reset',
    'https://app.example.com/re\tset',
    ' https://app.example.com/reset',
    // Elsewhere, or not https.
    'https://evil.example.net/reset',
    'https://app.example.com.evil.net/reset',
    'http://app.example.com/reset',
    'https://user:pass@app.example.com/reset',
    'javascript:alert(1)//https://app.example.com/reset',
    'data:text/html,<script>alert(1)</script>',
    '//app.example.com/reset',
    '/reset',
    '',
    `https://app.example.com/account/${'a'.repeat(1100)}`,
  ])('refuses %s', (uri) => {
    expect(allowedRedirect(uri, ALLOWLIST)).toBeUndefined();
    expect(isAllowedRedirect(uri, ALLOWLIST)).toBe(false);
  });

  it('allows nothing with an empty allowlist, and skips an entry that is not a URL', () => {
    expect(allowedRedirect('https://app.example.com/reset', [])).toBeUndefined();
    expect(allowedRedirect('https://app.example.com/reset', ['not a url', 'https://app.example.com/reset'])).toBe(
      'https://app.example.com/reset',
    );
  });
});
