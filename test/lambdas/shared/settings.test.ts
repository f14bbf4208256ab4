/** The settings schema (lambdas/shared/settings.ts): the parts about messages and links. */
import { describe, expect, it } from '@jest/globals';
import { parseSettings } from '../../../lambdas/shared/settings';

describe('bff:redirectAllowlist', () => {
  it('refuses an entry with an encoded separator, which no redirectUri could match', () => {
    expect(() => parseSettings({ redirectAllowlist: ['https://app.example.com/a%2Fb/'] })).toThrow(
      'redirectAllowlist: "https://app.example.com/a%2Fb/" must not contain an encoded / or \\',
    );
    expect(() => parseSettings({ redirectAllowlist: ['https://app.example.com/a%5cb'] })).toThrow(/encoded/);
    expect(parseSettings({ redirectAllowlist: ['https://app.example.com/reset'] }).redirectAllowlist).toEqual([
      'https://app.example.com/reset',
    ]);
  });
});
