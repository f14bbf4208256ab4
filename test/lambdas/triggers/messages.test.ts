/**
 * Messages as data: every locale file against one schema, the worst case of every locale x
 * message within Cognito's limits, the same message for the same event, and a locale added as
 * one file (in a temporary copy of the functions) served by the bundled trigger.
 *
 * Cognito's limits for a CustomMessage answer: email message up to 20,000 characters, subject up
 * to 140, SMS up to 140, the code placeholder in both, and for AdminCreateUser the username
 * placeholder too:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_MessageTemplateType.html
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from '@jest/globals';
import { BUNDLING, PROJECT_ROOT } from '../../../lib/constructs/bff-function';
import { catalogs } from '../../../lambdas/triggers/custom-message/locales';
import { LOCALES_DIR, findLocales } from '../../../lambdas/triggers/custom-message/locales/generate';
import { MESSAGE_KINDS, catalogProblems } from '../../../lambdas/triggers/custom-message/locales/schema';
import { type RenderConfig, LIMITS, render } from '../../../lambdas/triggers/custom-message/templates';

const localeFiles = readdirSync(LOCALES_DIR).filter((f) => /^[a-z]{2,3}(-[A-Za-z0-9]+)*\.json$/.test(f));
const readLocale = (file: string): unknown => JSON.parse(readFileSync(join(LOCALES_DIR, file), 'utf8'));

describe('locale files', () => {
  it.each(localeFiles)('%s has every message and only valid placeholders', (file) => {
    expect(catalogProblems(readLocale(file))).toEqual([]);
  });

  it('are all in the bundled catalogs', () => {
    expect(Object.keys(catalogs).sort()).toEqual(localeFiles.map((f) => f.replace('.json', '')).sort());
  });

  it('the schema refuses a missing message, an unknown or missing placeholder and markup', () => {
    const en = readLocale('en.json') as { messages: Record<string, Record<string, string>> };
    const broken = structuredClone(en);
    delete broken.messages.authentication;
    (broken.messages.signUp as Record<string, string>).subject = 'Hi {user} <b>now</b>';
    (broken.messages.forgotPassword as Record<string, string>).sms = 'No code here';
    (broken.messages.adminCreateUser as Record<string, string>).intro = 'No username';
    expect(catalogProblems(broken)).toEqual(
      expect.arrayContaining([
        'messages.authentication: missing',
        expect.stringContaining('messages.signUp.subject: placeholder {user} is not allowed'),
        'messages.signUp.subject: no markup (the layout template owns the HTML)',
        'messages.forgotPassword.sms: must contain {code}',
        'messages.adminCreateUser.intro: must contain {username}',
      ]),
    );
  });
});

describe('limits matrix: every locale x message, worst case', () => {
  const longest = (n: number) => 'W'.repeat(n);
  const config: RenderConfig = {
    locales: Object.keys(catalogs),
    defaultLocale: 'en',
    redirectAllowlist: ['https://app.example.com/'],
    appName: longest(64),
    apps: { long: longest(64) },
    brand: { logoUrl: `https://cdn.example.com/${'l'.repeat(470)}.png`, supportEmail: `${'s'.repeat(60)}@example.com` },
  };
  const cases = Object.keys(catalogs).flatMap((locale) =>
    MESSAGE_KINDS.flatMap((kind) => [true, false].map((withLink) => ({ locale, kind, withLink }))),
  );

  it.each(cases)('$locale $kind (link: $withLink)', ({ locale, kind, withLink }) => {
    const usernameParameter = kind === 'adminCreateUser' ? '{username}' : null;
    const r = render(
      {
        kind,
        locale,
        codeParameter: '{####}',
        usernameParameter,
        app: 'long',
        name: longest(500),
        linkUsername: `${'u'.repeat(242)}@example.com`,
        ...(withLink ? { redirectUri: `https://app.example.com/${'p'.repeat(1000)}` } : {}),
      },
      config,
    );
    expect(r.emailSubject.length).toBeGreaterThan(0);
    expect(r.emailSubject.length).toBeLessThanOrEqual(LIMITS.subject);
    expect(r.emailMessage.length).toBeLessThanOrEqual(LIMITS.email);
    expect(r.smsMessage.length).toBeLessThanOrEqual(LIMITS.sms);
    for (const placeholder of ['{####}', ...(usernameParameter ? [usernameParameter] : [])]) {
      expect(r.emailMessage).toContain(placeholder);
      expect(r.smsMessage).toContain(placeholder);
    }
    if (withLink) expect(r.emailMessage).toContain('#flow=');
    expect(`${r.emailSubject}${r.emailMessage}${r.smsMessage}`.toLowerCase()).not.toContain('our service');
  });
});

describe('the same event, the same message', () => {
  it('renders identically twice (Cognito may call the trigger again)', () => {
    const config: RenderConfig = {
      locales: ['en', 'fr'],
      defaultLocale: 'en',
      redirectAllowlist: ['https://app.example.com/'],
      appName: 'Acme',
      apps: {},
      brand: { supportEmail: 'help@acme.example' },
    };
    for (const kind of MESSAGE_KINDS) {
      const input = { kind, locale: 'fr', codeParameter: '{####}', redirectUri: 'https://app.example.com/x' };
      expect(render(input, config)).toEqual(render(input, config));
    }
  });
});

describe('brand', () => {
  const base: RenderConfig = {
    locales: ['en'],
    defaultLocale: 'en',
    redirectAllowlist: ['https://app.example.com/'],
    appName: 'Acme',
    apps: {},
    brand: {},
  };
  const input = { kind: 'forgotPassword' as const, codeParameter: '{####}', redirectUri: 'https://app.example.com/' };

  it('shows colours, logo and support address from bff:brand, escaped by the template', () => {
    const r = render(input, {
      ...base,
      brand: {
        primaryColor: '#112233',
        logoUrl: 'https://cdn.example.com/logo.png?a=1&b="2"',
        supportEmail: 'help@acme.example',
      },
    });
    expect(r.emailMessage).toContain('background:#112233');
    expect(r.emailMessage).toContain('src="https://cdn.example.com/logo.png?a=1&amp;b=&quot;2&quot;"');
    expect(r.emailMessage).toContain('Questions? Write to help@acme.example.');
  });

  it('has defaults: no logo, no support line', () => {
    const r = render(input, base);
    expect(r.emailMessage).not.toContain('<img');
    expect(r.emailMessage).not.toContain('Questions?');
    expect(r.emailMessage).toContain('background:#0a66c2');
  });
});

describe('a new locale is one file', () => {
  mkdirSync(join(PROJECT_ROOT, '.local'), { recursive: true });
  const work = mkdtempSync(join(PROJECT_ROOT, '.local', 'locale-copy-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is found, bundled as CDK bundles, and served with no other edit', async () => {
    mkdirSync(work, { recursive: true });
    cpSync(join(PROJECT_ROOT, 'lambdas'), join(work, 'lambdas'), { recursive: true });
    const locales = join(work, 'lambdas/triggers/custom-message/locales');
    const en = JSON.parse(readFileSync(join(locales, 'en.json'), 'utf8'));
    en.messages.forgotPassword.subject = 'Xx-reset {app}';
    writeFileSync(join(locales, 'xx.json'), JSON.stringify(en));
    expect(findLocales(locales)).toContain('xx');
    // The build step (npm scripts and the Triggers construct run it): no code edit.
    const { writeLocaleIndex } = await import('../../../lambdas/triggers/custom-message/locales/generate');
    writeLocaleIndex(locales);
    const outfile = join(work, 'out.mjs');
    await build({
      stdin: {
        contents: [
          `export { create } from './lambdas/triggers/custom-message/handler';`,
          `export { toEnvironment } from './lambdas/shared/config';`,
          `export { defaultSettings } from './lambdas/shared/settings';`,
        ].join('\n'),
        resolveDir: work,
        loader: 'ts',
      },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: BUNDLING.target,
      banner: { js: BUNDLING.banner },
      logLevel: 'error',
    });
    const copy = await import(pathToFileURL(outfile).href);
    // Default settings of the copy: every locale file, no settings entry.
    expect(copy.defaultSettings.locales).toContain('xx');
    const handler = copy.create(copy.toEnvironment('customMessage', copy.defaultSettings, {}));
    const answer = await handler({
      triggerSource: 'CustomMessage_ForgotPassword',
      userPoolId: 'p',
      userName: 'u',
      request: { codeParameter: '{####}', userAttributes: { locale: 'xx' }, clientMetadata: {} },
      response: {},
    });
    expect(answer.response.emailSubject).toBe('Xx-reset Example App');
  }, 120_000);
});

describe('gallery (/_local/messages, npm run messages:preview)', () => {
  it('renders every message x locale with sample values in place of the placeholders', async () => {
    const { galleryConfig, galleryEntries, galleryPage } = await import('../../../local/messages-gallery');
    const { defaultSettings } = await import('../../../lambdas/shared/settings');
    const entries = galleryEntries(galleryConfig(defaultSettings));
    expect(entries.map((e) => `${e.locale}-${e.kind}`).sort()).toEqual(
      Object.keys(catalogs)
        .flatMap((l) => MESSAGE_KINDS.map((k) => `${l}-${k}`))
        .sort(),
    );
    for (const e of entries) expect(JSON.stringify(e.message)).not.toMatch(/\{####\}|\{username\}/);
    const page = galleryPage(entries, 'inline');
    for (const e of entries) expect(page).toContain(`<section id="${e.locale}-${e.kind}">`);
    expect(page).not.toMatch(/<iframe(?![^>]*sandbox)/);
  });
});
