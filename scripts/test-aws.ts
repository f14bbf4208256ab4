/**
 * `npm run test:aws [-- --region <region>] [-- --dry-run]`: the flow suite (test/flows) against a real,
 * throwaway deployment in the caller's AWS account (opt-in, never in CI; README "Test against your AWS account").
 *
 * 1. Checks credentials and region (and that they work: one DescribeStacks call). Without them: one line on
 *    stderr and exit 2, never a stack trace.
 * 2. Deploys bin/test-app.ts: the product's stack under a unique name (PasswordBffTest-...), every resource
 *    deletable, with the test-only seam that records mailed codes and audit events (test/aws/seam.ts).
 * 3. Runs the flow suite with BFF_TARGET=aws (the AWS target reads the stack's outputs), in band.
 * 4. Destroys the stack in `finally`, also when the tests fail or are interrupted (Ctrl-C), and prints how
 *    to delete it by hand if that fails.
 *
 * `--dry-run` needs no account and no network: it synthesizes the test stack (bundling skipped; the real
 * bundling is checked by `npm run test:deploy`), runs cdk-nag on it, prints what a run would deploy, and
 * exits 0. CI runs it (.ci/run).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { App } from 'aws-cdk-lib';
import { PROJECT_ROOT } from '../lib/constructs/bff-function';
import { addTestStack } from '../test/aws/seam';
import { TEST_STACK_PREFIX } from '../test/aws/seam-contract';

export const USAGE = `usage: npm run test:aws [-- --region <region>]   deploy a throwaway stack, run the flow suite, destroy it
       npm run test:aws -- --dry-run             print what it would deploy (offline, no account needed)`;

/** A failure reported as one line, with its exit code. */
export class TestAwsError extends Error {
  override readonly name = 'TestAwsError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** A unique, valid CloudFormation stack name: the prefix, the UTC time and a random suffix. */
export function uniqueStackName(now = new Date(), random = Math.random()) {
  const time = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${TEST_STACK_PREFIX}${time}-${random.toString(36).slice(2, 8).padEnd(6, '0')}`;
}

/** The context a deploy reads from cdk.json (the CLI adds -c values on top). */
function cdkJsonContext(): Record<string, unknown> {
  const file = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: object };
  return { ...(file.context ?? {}) } as Record<string, unknown>;
}

/** What the dry run prints: the test stack's resources by type, the seam's, and its outputs. */
export function dryRun(io: Io): void {
  const outdir = mkdtempSync(join(tmpdir(), 'bff-test-aws-'));
  try {
    const stackName = `${TEST_STACK_PREFIX}dry-run`;
    // Bundling skipped: offline and fast; cdk-nag still runs (an unacknowledged finding throws here).
    const app = new App({ outdir, context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const { stack, seam } = addTestStack(app, { stackName });
    const assembly = app.synth();
    const template = assembly.getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string; DeletionPolicy?: string }>;
      Outputs?: Record<string, unknown>;
    };
    const resources = Object.entries(template.Resources);
    const byType = new Map<string, number>();
    for (const [, r] of resources) byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);
    const seamPath = `${seam.node.path}/`;
    const seamTypes = [
      ...new Set(
        seam.node
          .findAll()
          .filter((c) => c.node.path.startsWith(seamPath) && 'cfnResourceType' in c)
          .map((c) => (c as unknown as { cfnResourceType: string }).cfnResourceType),
      ),
    ].sort();
    const kept = resources.filter(([, r]) => r.DeletionPolicy === 'Retain').map(([id]) => id);
    io.out(
      `npm run test:aws would deploy ${stackName.replace(/dry-run$/, '<time>-<random>')} (dry run: nothing deployed)`,
    );
    io.out(
      `  ${resources.length} resources, all deleted by cdk destroy${kept.length ? `, except ${kept.join(', ')}` : ''}:`,
    );
    for (const [type, count] of [...byType].sort(([a], [b]) => a.localeCompare(b))) io.out(`    ${count} ${type}`);
    io.out(`  test-only seam (Cognito mails through it, nothing is sent): ${seamTypes.join(', ')}`);
    io.out(`  outputs: ${Object.keys(template.Outputs ?? {}).join(', ')}`);
    io.out('  then: the flow suite with BFF_TARGET=aws (test/flows), then cdk destroy');
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** One line for any failure, never a stack trace. */
export function describeError(error: unknown): string {
  const e = (error ?? {}) as Error & { code?: string; hostname?: string };
  let line: string;
  if (e instanceof TestAwsError) line = e.message;
  else if (e.name === 'CredentialsProviderError') {
    line =
      'no AWS credentials: set AWS_PROFILE (aws sso login / aws configure) or AWS_ACCESS_KEY_ID and ' +
      'AWS_SECRET_ACCESS_KEY; `npm run test:aws -- --dry-run` needs none';
  } else if (/region is missing/i.test(e.message ?? ''))
    line = 'no AWS region: pass --region <region> or set AWS_REGION';
  else if (e.code && NETWORK_CODES.has(e.code))
    line = `cannot reach ${e.hostname ?? 'AWS'} (${e.code}): check the region and network`;
  else line = `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
  return `test:aws: ${line}`.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/**
 * The caller's region, and proof that the credentials work: resolving them (no network), then one
 * DescribeStacks of the new stack's name, which answers ValidationError "does not exist" to valid ones.
 */
export async function checkAccount(cfn: CloudFormationClient, stackName: string): Promise<string> {
  await cfn.config.credentials();
  const region = await cfn.config.region();
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  try {
    await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  } catch (error) {
    const e = error as Error;
    if (e.name === 'ValidationError' && /does not exist/.test(e.message)) return region;
    throw error;
  }
  throw new TestAwsError(`a stack named ${stackName} exists already in ${region}: run again for a new name`);
}

/** Runs a command with inherited output; resolves with its exit code (a signal counts as 1). */
export function exec(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: 'inherit' });
    child.once('error', () => resolve(127));
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** How to delete the stack by hand, when `cdk destroy` did not. */
export function manualCleanup(stackName: string, region: string): string[] {
  return [
    `test:aws: cdk destroy failed: the stack ${stackName} may still exist in ${region} (it costs nothing idle).`,
    `  Delete it by hand: aws cloudformation delete-stack --stack-name ${stackName} --region ${region}`,
    `  and wait: aws cloudformation wait stack-delete-complete --stack-name ${stackName} --region ${region}`,
    '  or in the console: CloudFormation > Stacks > the stack > Delete. Every resource in it is deletable;',
    '  its KMS key is scheduled for deletion (7 days) and costs nothing meanwhile.',
  ];
}

/** What a run does outside this process; tests replace it. */
export interface Deps {
  readonly exec: typeof exec;
  readonly cloudFormation: (region: string | undefined) => Promise<CloudFormationClient>;
  readonly env: NodeJS.ProcessEnv;
}

const defaultDeps: Deps = {
  exec,
  async cloudFormation(region) {
    const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
    return new CloudFormationClient(region ? { region } : {});
  },
  env: process.env,
};

export async function run(argv: readonly string[], io: Io, deps: Deps = defaultDeps): Promise<number> {
  const { exec, env } = deps;
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'dry-run': { type: 'boolean' },
        region: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.err(`test:aws: ${(error as Error).message} (npm run test:aws -- --help)`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values['dry-run']) {
    try {
      dryRun(io);
      return 0;
    } catch (error) {
      io.err(`test:aws: the test stack does not synthesize: ${(error as Error).message}`);
      return 1;
    }
  }

  const stackName = uniqueStackName();
  let region: string;
  const cfn = await deps.cloudFormation(values.region);
  try {
    region = await checkAccount(cfn, stackName);
  } catch (error) {
    io.err(describeError(error));
    return error instanceof TestAwsError ? error.exitCode : 2;
  } finally {
    cfn.destroy();
  }

  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    AWS_REGION: region,
    CDK_DEFAULT_REGION: region,
    BFF_TEST_STACK_NAME: stackName,
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
  const cdk = (verb: string, ...extra: string[]) =>
    exec('npx', ['cdk', verb, stackName, '--app', 'npx tsx bin/test-app.ts', '--no-notices', ...extra], childEnv);
  // Ctrl-C reaches the children (same process group); this process stays to destroy the stack.
  const onSignal = () => io.err('test:aws: interrupted: destroying the stack before exiting');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let testCode = 1;
  let destroyed: boolean;
  const started = Date.now();
  try {
    io.out(`test:aws: deploying ${stackName} to ${region} (about 5 minutes)`);
    const deployed = await cdk('deploy', '--require-approval', 'never');
    if (deployed !== 0) throw new TestAwsError(`cdk deploy of ${stackName} failed (exit ${deployed}), see above`, 1);
    io.out(`test:aws: running the flow suite against ${stackName}`);
    testCode = await exec(
      process.execPath,
      [
        '--experimental-vm-modules',
        '--disable-warning=ExperimentalWarning',
        'node_modules/jest/bin/jest.js',
        '--selectProjects',
        'default',
        '--runInBand',
        'test/flows',
      ],
      { ...childEnv, BFF_TARGET: 'aws' },
    );
  } catch (error) {
    io.err(describeError(error));
  } finally {
    io.out(`test:aws: destroying ${stackName}`);
    destroyed = (await cdk('destroy', '--force')) === 0;
    if (!destroyed) for (const line of manualCleanup(stackName, region)) io.err(line);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  io.out(
    `test:aws: flow suite ${testCode === 0 ? 'passed' : 'FAILED'}; stack ${destroyed ? 'destroyed' : 'NOT destroyed'}; ${minutes} min`,
  );
  return testCode !== 0 ? testCode : destroyed ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await run(process.argv.slice(2), {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
}
