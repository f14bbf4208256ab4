/** The settings schema (lambdas/shared/settings.ts): the parts about messages and links. */
import { describe, expect, it } from '@jest/globals';
import { parseSettings, settingsFromContext } from '../../../lambdas/shared/settings';

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

describe('bff:apps', () => {
  it('is an empty map by default, and keeps the brand name apart', () => {
    expect(parseSettings({}).apps).toEqual({});
    const settings = settingsFromContext({ 'bff:appName': 'Acme', 'bff:apps': { shop: 'Acme Shop' } });
    expect(settings.appName).toBe('Acme');
    expect(settings.apps).toEqual({ shop: 'Acme Shop' });
  });

  it('reads a -c string as a JSON object, like the same value in cdk.json', () => {
    expect(settingsFromContext({ 'bff:apps': '{"shop":"Acme Shop","forum":"123"}' }).apps).toEqual({
      shop: 'Acme Shop',
      forum: '123',
    });
    expect(() => settingsFromContext({ 'bff:apps': 'shop=Acme' })).toThrow(
      'bff:apps: got "shop=Acme", expected a JSON object',
    );
  });

  it('names the bad id, display name or count', () => {
    expect(() => parseSettings({ apps: { 'Shop!': 'Acme' } })).toThrow(
      'apps: "Shop!" is not an app id (lower-case letters, digits, - and _, at most 32)',
    );
    expect(() => parseSettings({ apps: { ['a'.repeat(33)]: 'Acme' } })).toThrow(/is not an app id/);
    expect(() => parseSettings({ apps: { shop: '' } })).toThrow('bff:apps.shop: got "", expected at least 1');
    expect(() => parseSettings({ apps: { shop: 'x'.repeat(65) } })).toThrow(
      /bff:apps\.shop: got .*expected at most 64/,
    );
    expect(() => parseSettings({ apps: { shop: 5 } })).toThrow('bff:apps.shop: got 5, expected a string');
    expect(() => parseSettings({ apps: ['shop'] })).toThrow(/bff:apps: got \["shop"\], expected a record/);
    expect(() => parseSettings({ apps: { shop: 'Acme\nShop' } })).toThrow(
      'apps.shop: the display name must not contain control characters',
    );
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`app${i}`, `App ${i}`]));
    expect(() => parseSettings({ apps: many })).toThrow(/apps: 21 apps, at most 20/);
  });
});
