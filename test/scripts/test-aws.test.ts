/**
 * `npm run test:aws` (scripts/test-aws.ts): one line and a non-zero exit without credentials or region, the
 * dry run CI runs (offline), and the order of a real run with CloudFormation and the commands faked: the stack
 * is destroyed whatever happened before, and a failed destroy says how to delete it by hand.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as cfnSdk from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type Deps, run, uniqueStackName } from '../../scripts/test-aws';
import { TEST_STACK_PREFIX } from '../aws/seam-contract';

const home = mkdtempSync(join(tmpdir(), 'bff-test-aws-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** The script as a user runs it, with no AWS configuration at all unless `env` adds some. */
async function runScript(args: string[], env: Record<string, string> = {}) {
  const clean: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    // No instance metadata lookups on a machine that is not in EC2.
    AWS_EC2_METADATA_DISABLED: 'true',
    ...env,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/test-aws.ts', ...args],
      { env: clean, maxBuffer: 4 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const SLOW = 240_000;

describe('npm run test:aws without an account', () => {
  it(
    'says in one line that credentials are missing, exits 2, and prints no stack trace',
    async () => {
      const { code, stdout, stderr } = await runScript([], { AWS_REGION: 'eu-west-1' });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^test:aws: no AWS credentials: set AWS_PROFILE .* --dry-run` needs none$/),
      ]);
      expect(stderr).not.toMatch(/\n\s+at /);
    },
    SLOW,
  );

  it(
    'says in one line that the region is missing',
    async () => {
      const { code, stderr } = await runScript([], { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' });
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toEqual(['test:aws: no AWS region: pass --region <region> or set AWS_REGION']);
    },
    SLOW,
  );

  it(
    'dry run: synthesizes the test stack offline, prints what it would deploy, exits 0',
    async () => {
      const { code, stdout, stderr } = await runScript(['--dry-run']);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(/^npm run test:aws would deploy PasswordBffTest-<time>-<random> \(dry run: nothing/);
      expect(stdout).toMatch(/\d+ resources, all deleted by cdk destroy:\n/);
      expect(stdout).toMatch(/^ {4}1 AWS::Cognito::UserPool$/m);
      expect(stdout).toMatch(/^ {4}1 AWS::ApiGateway::RestApi$/m);
      expect(stdout).toMatch(
        /test-only seam .*: AWS::DynamoDB::Table, AWS::Events::Rule, .*AWS::KMS::Key, AWS::Lambda::Function/,
      );
      expect(stdout).toMatch(/outputs: .*ApiUrl.*TestSeamTableName/);
    },
    SLOW,
  );
});

describe('a run, with CloudFormation and the commands faked', () => {
  const cfn = mockClient(cfnSdk.CloudFormationClient);
  beforeEach(() => {
    cfn.reset();
    // A valid account answers DescribeStacks of a name that does not exist yet with this ValidationError.
    cfn
      .on(cfnSdk.DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id X does not exist'), { name: 'ValidationError' }));
  });

  /** Runs with every command answering from `codes` (by cdk verb, or `jest`), recording the commands. */
  async function fakeRun(codes: { deploy?: number; jest?: number; destroy?: number }) {
    const commands: string[] = [];
    const out: string[] = [];
    const err: string[] = [];
    const deps: Deps = {
      env: {},
      cloudFormation: async (region) =>
        new cfnSdk.CloudFormationClient({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
      exec: async (command, args, env) => {
        const verb = args[0] === 'cdk' ? (args[1] as 'deploy' | 'destroy') : 'jest';
        commands.push(
          `${verb} ${env.BFF_TEST_STACK_NAME} ${env.AWS_REGION}${env.BFF_TARGET ? ` ${env.BFF_TARGET}` : ''}`,
        );
        return codes[verb] ?? 0;
      },
    };
    const code = await run(['--region', 'eu-west-1'], { out: (l) => out.push(l), err: (l) => err.push(l) }, deps);
    const stack = /deploying (\S+)/.exec(out.join('\n'))?.[1] ?? '';
    return { code, commands: commands.map((c) => c.replace(stack, '<stack>')), out: out.join('\n'), err, stack };
  }

  it('deploys a uniquely named stack, runs the suite against it with BFF_TARGET=aws, then destroys it', async () => {
    const { code, commands, stack, err } = await fakeRun({});
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(stack.startsWith(TEST_STACK_PREFIX)).toBe(true);
    expect(commands).toEqual(['deploy <stack> eu-west-1', 'jest <stack> eu-west-1 aws', 'destroy <stack> eu-west-1']);
  });

  it('destroys the stack when the tests fail, and when the deploy fails, and exits non-zero', async () => {
    const failed = await fakeRun({ jest: 1 });
    expect(failed.code).toBe(1);
    expect(failed.commands.at(-1)).toBe('destroy <stack> eu-west-1');
    expect(failed.out).toContain('flow suite FAILED; stack destroyed');

    const undeployed = await fakeRun({ deploy: 1 });
    expect(undeployed.code).not.toBe(0);
    expect(undeployed.commands).toEqual(['deploy <stack> eu-west-1', 'destroy <stack> eu-west-1']);
  });

  it('says how to delete the stack by hand when destroy fails', async () => {
    const { code, err, stack } = await fakeRun({ destroy: 1 });
    expect(code).toBe(1);
    expect(err.join('\n')).toContain(`aws cloudformation delete-stack --stack-name ${stack} --region eu-west-1`);
  });

  it('refuses a name that is taken, without deploying anything', async () => {
    cfn.on(cfnSdk.DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'x', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() }],
    });
    const { code, commands, err } = await fakeRun({});
    expect(code).toBe(2);
    expect(commands).toEqual([]);
    expect(err).toEqual([expect.stringMatching(/^test:aws: a stack named PasswordBffTest-\S+ exists already/)]);
  });
});

describe('stack names', () => {
  it('are valid CloudFormation names, unique per run', () => {
    const now = new Date('2026-11-30T14:05:09.123Z');
    expect(uniqueStackName(now, 0.123456789)).toMatch(/^PasswordBffTest-20261130-140509-[0-9a-z]{6}$/);
    expect(uniqueStackName(now, 0.1)).not.toBe(uniqueStackName(now, 0.2));
    expect(uniqueStackName()).toMatch(/^[A-Za-z][A-Za-z0-9-]{0,127}$/);
  });
});
