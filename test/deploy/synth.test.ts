/**
 * The real CDK CLI, as a user runs it: `-c` values arrive as strings and must be read by each
 * setting's type. Bundling and cdk-nag run as in `cdk deploy`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const dirs: string[] = [];

type Template = {
  Resources: Record<string, { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, string> }>;
};

/** `cdk synth` as a user runs it: the template, what the CLI printed, and where the assets are. */
async function synthRun(args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'bff-synth-'));
  dirs.push(out);
  const { stdout, stderr } = await run('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', out, ...args], {
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    maxBuffer: 16 * 1024 * 1024,
  });
  const template = JSON.parse(readFileSync(join(out, 'PasswordBff.template.json'), 'utf8')) as Template;
  return { template, output: `${stdout}\n${stderr}`, out };
}

const synth = async (args: string[]) => (await synthRun(args)).template;

const ofType = (t: Template, type: string) => Object.values(t.Resources).filter((r) => r.Type === type);

/** Each function's bundle folder in the cloud assembly. */
const assetDirs = (t: Template, out: string) =>
  ofType(t, 'AWS::Lambda::Function').map((f) => join(out, f.Metadata?.['aws:asset:path'] ?? 'missing'));

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('cdk synth with -c settings', () => {
  it("works with exactly the README's deploy arguments, and the -c values reach the template", async () => {
    const { template, output, out } = await synthRun([
      '-c',
      'bff:allowedOrigins=["https://app.example.com"]',
      '-c',
      'bff:redirectAllowlist=["https://app.example.com/reset"]',
    ]);
    const [options] = ofType(template, 'AWS::ApiGateway::Method').filter(
      (m) => (m.Properties as { HttpMethod?: string }).HttpMethod === 'OPTIONS',
    );
    expect(JSON.stringify(options)).toContain('https://app.example.com');
    const origins = ofType(template, 'AWS::Lambda::Function')
      .map((f) => (f.Properties as { Environment?: { Variables?: Record<string, unknown> } }).Environment?.Variables)
      .map((variables) => variables?.ALLOWED_ORIGINS)
      .filter(Boolean);
    expect(origins.length).toBeGreaterThan(0);
    expect(new Set(origins)).toEqual(new Set(['["https://app.example.com"]']));
    // Nothing outside the stack: API Gateway's account-wide logging role stays as it is.
    expect(ofType(template, 'AWS::ApiGateway::Account')).toHaveLength(0);
    // Cognito's built-in email: the CLI tells the user about its daily cap and the fix.
    expect(output).toMatch(/WARNING The pool sends its mail with Cognito's built-in email, which sends at most 50/);
    expect(output).toContain('bff:email');
    // No source maps unless asked: bundles only, and no NODE_OPTIONS.
    const dirsOfAssets = assetDirs(template, out);
    expect(dirsOfAssets.length).toBeGreaterThan(0);
    for (const dir of dirsOfAssets) {
      expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(false);
      // The logger ships beside the bundle, where the function's import() finds it (LAZY_MODULES).
      const logger = join(dir, 'node_modules', '@aws-lambda-powertools', 'logger');
      expect(JSON.parse(readFileSync(join(logger, 'package.json'), 'utf8'))).toMatchObject({ main: 'index.mjs' });
      expect(statSync(join(logger, 'index.mjs')).size).toBeGreaterThan(10_000);
    }
    expect(JSON.stringify(ofType(template, 'AWS::Lambda::Function'))).not.toContain('NODE_OPTIONS');
  });

  it('switches to SES, ships working source maps and sets the account role when asked', async () => {
    const { template, output, out } = await synthRun([
      '-c',
      'bff:email={"from":"no-reply@example.com","replyTo":"help@example.com"}',
      '-c',
      'bff:sourceMaps=true',
      '-c',
      'bff:apiGatewayAccountRole=true',
    ]);
    const [pool] = ofType(template, 'AWS::Cognito::UserPool');
    expect(pool?.Properties?.EmailConfiguration).toMatchObject({
      EmailSendingAccount: 'DEVELOPER',
      From: 'no-reply@example.com',
      ReplyToEmailAddress: 'help@example.com',
    });
    expect(output).not.toContain("Cognito's built-in email");
    const functions = ofType(template, 'AWS::Lambda::Function');
    for (const fn of functions) {
      expect(fn.Properties?.Environment?.Variables?.NODE_OPTIONS).toBe('--enable-source-maps');
    }
    for (const dir of assetDirs(template, out)) {
      const bundle = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(statSync(join(dir, 'index.mjs.map')).size).toBeGreaterThan(0);
    }
    expect(ofType(template, 'AWS::ApiGateway::Account')).toHaveLength(1);
  });

  // One synth per test: each bundles every function, which takes minutes on a busy machine.
  it('has the WAF by default (cdk.json)', async () => {
    expect(ofType(await synth([]), 'AWS::WAFv2::WebACL')).toHaveLength(1);
  });

  it('leaves the WAF out with -c bff:enableWaf=false', async () => {
    expect(ofType(await synth(['-c', 'bff:enableWaf=false']), 'AWS::WAFv2::WebACL')).toHaveLength(0);
  });

  it('refuses an unknown bff: key and a value of the wrong type, naming key, value and what is allowed', async () => {
    await expect(synth(['-c', 'bff:enableWAF=true'])).rejects.toThrow(/unknown setting bff:enableWAF/);
    await expect(synth(['-c', 'bff:enableWaf=yes'])).rejects.toThrow(
      /bff:enableWaf: got "yes", expected true or false/,
    );
  });
});
