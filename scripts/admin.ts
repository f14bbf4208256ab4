/**
 * `npm run admin -- <add|remove|list> [email] [--stack-name <name>] [--region <region>] [--local <bffUrl>]`:
 * manages the members of the admins group, first of all the first one (after `cdk deploy` nobody is
 * in it). With the caller's AWS credentials and the stack's outputs (DescribeStacks), or against the
 * local stack (`--local http://127.0.0.1:3000`, its `GET /_local/config`, dummy credentials): the
 * same Cognito calls either way.
 *
 * `add` invites a new user (AdminCreateUser: email verified, Cognito mails a temporary password)
 * and adds them to the group; for an existing user it only adds them, and says when they were in
 * it already, so it can run any number of times. Every failure is one line on stderr and a
 * non-zero exit, never a stack trace.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
  ListUsersInGroupCommand,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';

/** The stack name `bin/app.ts` deploys. */
export const DEFAULT_STACK_NAME = 'PasswordBff';

/** The stack outputs this command reads (lib/password-bff-stack.ts writes them). */
export const OUTPUT_KEYS = { userPoolId: 'UserPoolId', region: 'Region', groupName: 'AdminGroupName' } as const;

export const USAGE = `usage: npm run admin -- add <email> | remove <email> | list
         [--stack-name <name> (default ${DEFAULT_STACK_NAME})] [--region <region>]   a deployed stack
         [--local <bffUrl>]                                               the local stack (npm start)`;

/** Which pool and group to work on. */
export interface AdminPool {
  readonly userPoolId: string;
  readonly groupName: string;
}

/** A failure the command reports as its one line. */
export class AdminCommandError extends Error {
  override readonly name = 'AdminCommandError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export type AddOutcome = 'invited' | 'added' | 'already-admin';

/**
 * An administrator's invitation of `email`: a user with that verified email. AdminCreateUser's delivery medium
 * defaults to SMS, hence `DesiredDeliveryMediums: ['EMAIL']`; without `TemporaryPassword` Cognito generates one and
 * mails it with the username.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
 */
export const invitation = (userPoolId: string, email: string) =>
  new AdminCreateUserCommand({
    UserPoolId: userPoolId,
    Username: email,
    UserAttributes: [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: 'true' },
    ],
    DesiredDeliveryMediums: ['EMAIL'],
  });

/**
 * Invites `email` ({@link invitation}) and puts them in the group. An existing user (UsernameExistsException) is
 * only added to the group.
 */
export async function addAdmin(cognito: CognitoIdentityProviderClient, pool: AdminPool, email: string) {
  let outcome: AddOutcome = 'invited';
  try {
    await cognito.send(invitation(pool.userPoolId, email));
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
    if (await isMember(cognito, pool, email)) return 'already-admin';
    outcome = 'added';
  }
  await cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: email, GroupName: pool.groupName }),
  );
  return outcome;
}

/** Takes `email` out of the group; says when they were not in it or have no account. */
export async function removeAdmin(cognito: CognitoIdentityProviderClient, pool: AdminPool, email: string) {
  try {
    if (!(await isMember(cognito, pool, email))) return 'not-admin' as const;
  } catch (error) {
    if (error instanceof UserNotFoundException) return 'no-account' as const;
    throw error;
  }
  await cognito.send(
    new AdminRemoveUserFromGroupCommand({ UserPoolId: pool.userPoolId, Username: email, GroupName: pool.groupName }),
  );
  return 'removed' as const;
}

export interface Admin {
  readonly email: string;
  readonly status: string;
  readonly enabled: boolean;
}

/** Every member of the group, all pages of ListUsersInGroup. */
export async function listAdmins(cognito: CognitoIdentityProviderClient, pool: AdminPool): Promise<Admin[]> {
  const admins: Admin[] = [];
  let token: string | undefined;
  do {
    const page = await cognito.send(
      new ListUsersInGroupCommand({
        UserPoolId: pool.userPoolId,
        GroupName: pool.groupName,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const user of page.Users ?? []) {
      const email = user.Attributes?.find((a) => a.Name === 'email')?.Value ?? user.Username ?? '?';
      admins.push({ email, status: user.UserStatus ?? '?', enabled: user.Enabled !== false });
    }
    token = page.NextToken;
  } while (token);
  return admins;
}

async function isMember(cognito: CognitoIdentityProviderClient, pool: AdminPool, email: string) {
  let token: string | undefined;
  do {
    const page = await cognito.send(
      new AdminListGroupsForUserCommand({
        UserPoolId: pool.userPoolId,
        Username: email,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    if (page.Groups?.some((group) => group.GroupName === pool.groupName)) return true;
    token = page.NextToken;
  } while (token);
  return false;
}

/** The pool, its region and the admins group from the stack's outputs. */
export async function readStackOutputs(cfn: CloudFormationClient, stackName: string) {
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const stack = await cfn.send(new DescribeStacksCommand({ StackName: stackName })).then(
    (answer) => answer.Stacks?.[0],
    (error: Error) => {
      // CloudFormation answers a missing stack with a ValidationError "Stack with id X does not exist".
      if (error.name === 'ValidationError' && /does not exist/.test(error.message)) return undefined;
      throw error;
    },
  );
  if (!stack) {
    throw new AdminCommandError(
      `stack "${stackName}" not found in ${await regionOf(cfn)}: ` +
        'pass --stack-name and --region of your deployed stack (npx cdk deploy prints them)',
    );
  }
  const output = (key: string) => stack.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
  const values = {
    userPoolId: output(OUTPUT_KEYS.userPoolId),
    region: output(OUTPUT_KEYS.region),
    groupName: output(OUTPUT_KEYS.groupName),
  };
  const missing = Object.entries(values).filter(([, value]) => !value);
  if (missing.length > 0) {
    const keys = missing.map(([key]) => OUTPUT_KEYS[key as keyof typeof OUTPUT_KEYS]).join(', ');
    throw new AdminCommandError(
      `stack "${stackName}" has no output ${keys}: is it this app's stack? ` +
        'A stack deployed before the admin command needs `npx cdk deploy` once more',
    );
  }
  return values as { userPoolId: string; region: string; groupName: string };
}

async function regionOf(cfn: CloudFormationClient) {
  try {
    return await cfn.config.region();
  } catch {
    return 'the default region';
  }
}

/** The local stack's pool, Cognito endpoint and admins group, from its `GET /_local/config`. */
export async function readLocalConfig(bffUrl: string, fetchImpl: typeof fetch = fetch) {
  const url = new URL('/_local/config', bffUrl);
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const { cause } = error as { cause?: { code?: string; message?: string } };
    const why = cause?.code ?? cause?.message ?? (error as Error).name;
    throw new AdminCommandError(`cannot reach the local stack at ${url.origin} (${why}): is npm start running?`);
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const field = (key: string) => (typeof body?.[key] === 'string' ? (body[key] as string) : undefined);
  const config = {
    cognitoEndpoint: field('cognitoEndpoint'),
    region: field('region'),
    userPoolId: field('userPoolId'),
    groupName: field('adminGroupName'),
  };
  if (!response.ok || Object.values(config).some((value) => !value)) {
    throw new AdminCommandError(
      `${url.href} answered ${response.status} without cognitoEndpoint, region, userPoolId and adminGroupName: ` +
        "is this the project's local stack (npm start)?",
    );
  }
  return config as { cognitoEndpoint: string; region: string; userPoolId: string; groupName: string };
}

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** One line for any failure: what went wrong and, where we know it, what to do. Never a stack. */
export function describeError(error: unknown): string {
  const e = (error ?? {}) as Error & { code?: string; hostname?: string };
  let line: string;
  if (e instanceof AdminCommandError) line = e.message;
  else if (e.name === 'CredentialsProviderError') {
    line =
      'no AWS credentials: set AWS_PROFILE (aws sso login / aws configure) or AWS_ACCESS_KEY_ID and ' +
      'AWS_SECRET_ACCESS_KEY, or use --local <bffUrl> for the local stack';
  } else if (/region is missing/i.test(e.message ?? ''))
    line = 'no AWS region: pass --region <region> or set AWS_REGION';
  else if (e.code && NETWORK_CODES.has(e.code)) {
    line = `cannot reach ${e.hostname ?? 'AWS'} (${e.code}): check the region and your network`;
  } else if (e.name === 'TimeoutError') line = `AWS did not answer in time (${e.message})`;
  else line = `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
  return `admin: ${line}`.replace(/\s+/g, ' ').trim().slice(0, 500);
}

export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly fetch?: typeof fetch;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function parse(argv: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'stack-name': { type: 'string' },
        region: { type: 'string' },
        local: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new AdminCommandError(`${(error as Error).message} (npm run admin -- --help)`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true } as const;
  const [action, email, ...rest] = positionals;
  const usage = (problem: string) => new AdminCommandError(`${problem} (npm run admin -- --help)`, 2);
  if (action !== 'add' && action !== 'remove' && action !== 'list') {
    throw usage(
      action ? `unknown action "${action}": add, remove or list` : 'an action is needed: add, remove or list',
    );
  }
  if (action === 'list' ? email !== undefined || rest.length > 0 : rest.length > 0) {
    throw usage(`unexpected argument "${action === 'list' ? email : rest[0]}"`);
  }
  if (action !== 'list' && (!email || !EMAIL.test(email))) {
    throw usage(email ? `"${email}" is not an email address` : `${action} needs an email address`);
  }
  if (values.local !== undefined) {
    if (values['stack-name'] !== undefined || values.region !== undefined) {
      throw usage('--local is the local stack: it takes no --stack-name or --region');
    }
    if (!URL.canParse(values.local) || !/^https?:$/.test(new URL(values.local).protocol)) {
      throw usage(`--local needs the BFF's URL, like http://127.0.0.1:3000, got "${values.local}"`);
    }
  }
  return {
    help: false,
    action,
    email: email ?? '',
    local: values.local,
    stackName: values['stack-name'] ?? DEFAULT_STACK_NAME,
    region: values.region,
  } as const;
}

/** Resolves the target, runs the action, prints the outcome; returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const clients: { destroy(): void }[] = [];
  try {
    const args = parse(argv);
    if (args.help) {
      io.out(USAGE);
      return 0;
    }
    let cognito: CognitoIdentityProviderClient;
    let pool: AdminPool;
    let where: string;
    if (args.local !== undefined) {
      const config = await readLocalConfig(args.local, io.fetch);
      cognito = new CognitoIdentityProviderClient({
        endpoint: config.cognitoEndpoint,
        region: config.region,
        // The local Cognito does not check credentials; the SDK only needs some to sign with.
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      pool = config;
      where = `local stack ${new URL(args.local).origin}`;
    } else {
      const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
      const cfn = new CloudFormationClient(args.region ? { region: args.region } : {});
      clients.push(cfn);
      const outputs = await readStackOutputs(cfn, args.stackName);
      cognito = new CognitoIdentityProviderClient({ region: outputs.region });
      pool = outputs;
      where = `stack ${args.stackName}, ${outputs.region}`;
    }
    clients.push(cognito);
    const group = `"${pool.groupName}"`;
    const suffix = `(${where}, pool ${pool.userPoolId})`;
    if (args.action === 'add') {
      const outcome = await addAdmin(cognito, pool, args.email);
      io.out(
        outcome === 'invited'
          ? `Invited ${args.email} and added them to ${group} ${suffix}. Cognito mailed them a temporary ` +
              'password; they sign in with it and choose their own.'
          : outcome === 'added'
            ? `${args.email} already had an account: added them to ${group} ${suffix}.`
            : `${args.email} is already in ${group} ${suffix}: nothing to do.`,
      );
    } else if (args.action === 'remove') {
      const outcome = await removeAdmin(cognito, pool, args.email);
      io.out(
        outcome === 'removed'
          ? `Removed ${args.email} from ${group} ${suffix}. Tokens already issued keep the group until they expire.`
          : outcome === 'not-admin'
            ? `${args.email} is not in ${group} ${suffix}: nothing to do.`
            : `${args.email} has no account ${suffix}: nothing to do.`,
      );
    } else {
      const admins = await listAdmins(cognito, pool);
      if (admins.length === 0) io.out(`Nobody is in ${group} ${suffix}: npm run admin -- add <email>`);
      else {
        io.out(`${admins.length} in ${group} ${suffix}:`);
        for (const a of admins) io.out(`  ${a.email}  ${a.status}${a.enabled ? '' : '  (disabled)'}`);
      }
    }
    return 0;
  } catch (error) {
    io.err(describeError(error));
    return error instanceof AdminCommandError ? error.exitCode : 1;
  } finally {
    for (const client of clients) client.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await run(process.argv.slice(2), {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
}
