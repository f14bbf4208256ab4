/**
 * The real CDK CLI, as a user runs it: `-c` values arrive as strings and must be read by each
 * setting's type. Bundling and cdk-nag run as in `cdk deploy`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const dirs: string[] = [];

async function synth(args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'bff-synth-'));
  dirs.push(out);
  await run('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', out, ...args], {
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(readFileSync(join(out, 'PasswordBff.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  };
}

const ofType = (t: Awaited<ReturnType<typeof synth>>, type: string) =>
  Object.values(t.Resources).filter((r) => r.Type === type);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('cdk synth with -c settings', () => {
  it("works with exactly the README's deploy arguments, and the -c values reach the template", async () => {
    const template = await synth([
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
  });

  it('turns the WAF on with -c bff:enableWaf=true', async () => {
    const template = await synth(['-c', 'bff:enableWaf=true']);
    expect(ofType(template, 'AWS::WAFv2::WebACL')).toHaveLength(1);
  });

  it('refuses an unknown bff: key and a value of the wrong type, naming key, value and what is allowed', async () => {
    await expect(synth(['-c', 'bff:enableWAF=true'])).rejects.toThrow(/unknown setting bff:enableWAF/);
    await expect(synth(['-c', 'bff:enableWaf=yes'])).rejects.toThrow(
      /bff:enableWaf: got "yes", expected true or false/,
    );
  });
});
