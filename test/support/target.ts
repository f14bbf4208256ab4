/**
 * The deployment a flow test runs against. The flow suite (test/flows) is written once against this
 * interface and a base URL; nothing in it knows whether the BFF runs locally or in AWS.
 *
 * - `local` (default, `npm test`): the stack `npm start` runs, started on free ports for the suite.
 * - `aws` (`npm run test:aws`, opt-in, scripts/test-aws.ts): the throwaway stack it deployed (BFF_TEST_STACK_NAME,
 *   AWS_REGION), read from its CloudFormation outputs. Mailed codes and audit events come through the test-only
 *   seam of that stack (test/aws/seam.ts), which records them in a DynamoDB table only the test reads.
 *
 * Every flow in test/flows runs on both targets: nothing in it needs more than this interface. What needs the
 * local stack's internals (the manual clock, restarts, fault injection, two stacks in one process) lives in
 * test/integration, test/local and test/reliability, and runs locally only (README "Test against your AWS
 * account" lists both).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from '@jest/globals';
import { settingsFromContext } from '../../lambdas/shared/settings';
import { SEAM_OUTPUTS, SEAM_TABLE, TEST_ORIGIN } from '../aws/seam-contract';
import { type RunningStack, client, removeDir, startStack, uniqueEmail } from './stack';

/** A message Cognito sent, as the CustomMessage trigger wrote it. */
export interface Message {
  readonly triggerSource: string;
  readonly subject: string;
  readonly body: string;
  /** The code or temporary password the message carries. */
  readonly code: string;
}

/** An audit event the stack published (EventBridge `detail-type` and `detail`). */
export interface AuditEvent {
  readonly detailType: string;
  readonly detail: any;
}

export type TargetName = 'local' | 'aws';

/** The target this run is for: BFF_TARGET, `local` by default. */
export function targetName(name = process.env.BFF_TARGET ?? 'local'): TargetName {
  if (name !== 'local' && name !== 'aws') throw new Error(`BFF_TARGET=${name}: the targets are local and aws`);
  return name;
}

export interface Target {
  readonly name: TargetName;
  /** The BFF's base URL: the client's `baseUrl`. */
  readonly baseUrl: string;
  /** A URL on the stack's redirect allowlist, for the links in reset mails. */
  readonly redirectUri: string;
  /** An origin on the stack's CORS allowlist. */
  readonly allowedOrigin: string;
  /** Every message sent to `email`, oldest first. */
  messages(email: string): Promise<Message[]>;
  /** Every audit event published so far, oldest first. */
  events(): Promise<AuditEvent[]>;
  /** Creates a user as an administrator does: AdminCreateUser, verified email, invitation mailed. */
  inviteUser(email: string): Promise<void>;
  /** Sign-in credentials of a member of the admins group. */
  adminCredentials(): Promise<{ username: string; password: string }>;
  stop(): Promise<void>;
}

export async function startTarget(name: string | undefined = process.env.BFF_TARGET): Promise<Target> {
  return targetName(name) === 'aws' ? awsTarget() : localTarget(await startStack());
}

function localTarget(stack: RunningStack): Target {
  const local = client(stack.url);
  const get = async <T>(path: string) => (await local.call('GET', path)).body as T;
  return {
    name: 'local',
    baseUrl: stack.url,
    // local/stack.ts puts the stack's own /reset page on the allowlist.
    redirectUri: `${stack.url}/reset`,
    // local/stack.ts allows the stack's own origin.
    allowedOrigin: new URL(stack.url).origin,
    messages: (email) => get(`/_local/outbox?to=${encodeURIComponent(email)}`),
    events: () => get('/_local/events'),
    async inviteUser(email) {
      const { CognitoIdentityProviderClient } = await import('@aws-sdk/client-cognito-identity-provider');
      const { invitation } = await import('../../scripts/admin');
      const config = await get<{ cognitoEndpoint: string; region: string; userPoolId: string }>('/_local/config');
      const cognito = new CognitoIdentityProviderClient({
        endpoint: config.cognitoEndpoint,
        region: config.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      await cognito.send(invitation(config.userPoolId, email));
      cognito.destroy();
    },
    // The administrator `npm start` seeds (README, "Run it locally").
    adminCredentials: async () => ({
      username: 'admin@example.com',
      password: process.env.LOCAL_ADMIN_PASSWORD ?? 'Local-Admin-Passw0rd!',
    }),
    async stop() {
      await stack.stop();
      removeDir(stack.dataDir);
    },
  };
}

/** The stack outputs the AWS target reads: lib/password-bff-stack.ts's and the seam's. */
const AWS_OUTPUTS = ['ApiUrl', 'UserPoolId', 'Region', 'AdminGroupName', SEAM_OUTPUTS.tableName] as const;

/** Reads records from the seam table until two reads, `settleMs` apart, agree: Cognito calls the seam async. */
async function settled<T>(read: () => Promise<T[]>, settleMs = Number(process.env.BFF_AWS_SETTLE_MS ?? 3000)) {
  let last = await read();
  for (let round = 0; round < 10; round++) {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const next = await read();
    if (next.length === last.length && next.length > 0) return next;
    // Nothing yet: give Cognito's asynchronous call a few more rounds before concluding there is nothing.
    if (next.length === last.length && round >= 2) return next;
    last = next;
  }
  return last;
}

/**
 * The throwaway stack `npm run test:aws` deployed (BFF_TEST_STACK_NAME in AWS_REGION), with the caller's
 * credentials. Messages and events come from the seam's table; a user is invited with AdminCreateUser; the
 * administrator is made by the admin command's own code (scripts/admin.ts `addAdmin`), then signs in with the
 * mailed temporary password and chooses a password, as a first administrator does.
 */
async function awsTarget(): Promise<Target> {
  const stackName = process.env.BFF_TEST_STACK_NAME;
  if (!stackName) throw new Error('BFF_TARGET=aws needs BFF_TEST_STACK_NAME: run it through npm run test:aws');
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const { CognitoIdentityProviderClient } = await import('@aws-sdk/client-cognito-identity-provider');
  const { DynamoDBClient, QueryCommand } = await import('@aws-sdk/client-dynamodb');
  const { addAdmin, invitation } = await import('../../scripts/admin');
  const cfn = new CloudFormationClient({});
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  cfn.destroy();
  const outputs = Object.fromEntries(AWS_OUTPUTS.map((key) => [key, undefined])) as Record<string, string | undefined>;
  for (const output of stack?.Outputs ?? []) if (output.OutputKey) outputs[output.OutputKey] = output.OutputValue;
  const missing = AWS_OUTPUTS.filter((key) => !outputs[key]);
  if (missing.length > 0) throw new Error(`stack ${stackName} has no output ${missing.join(', ')}`);
  const output = (key: (typeof AWS_OUTPUTS)[number]) => outputs[key] as string;
  const region = output('Region');
  const cognito = new CognitoIdentityProviderClient({ region });
  const dynamo = new DynamoDBClient({ region });
  const pool = { userPoolId: output('UserPoolId'), groupName: output('AdminGroupName') };
  const baseUrl = output('ApiUrl').replace(/\/$/, '');
  const query = async (pk: string) => {
    const items: Record<string, { S?: string }>[] = [];
    let start: Record<string, never> | undefined;
    do {
      const page = await dynamo.send(
        new QueryCommand({
          TableName: output(SEAM_OUTPUTS.tableName),
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': SEAM_TABLE.partitionKey },
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...((page.Items ?? []) as Record<string, { S?: string }>[]));
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start);
    return items;
  };
  const messages = (email: string) =>
    settled(async () =>
      (await query(SEAM_TABLE.mailPartition(email))).map((item): Message => ({
        triggerSource: item.triggerSource?.S ?? '',
        subject: item.subject?.S ?? '',
        body: item.body?.S ?? '',
        code: item.code?.S ?? '',
      })),
    );
  let admin: Promise<{ username: string; password: string }> | undefined;
  const makeAdmin = async () => {
    const username = uniqueEmail('test-aws-admin');
    if ((await addAdmin(cognito, pool, username)) !== 'invited') throw new Error(`could not invite ${username}`);
    const mail = (await messages(username)).at(-1);
    if (!mail) throw new Error(`no invitation reached the seam for ${username}`);
    const api = client(baseUrl);
    const signIn = await api.call('POST', '/auth/sign-in', { username, password: mail.code });
    const challenge = signIn.body?.challenge;
    if (challenge?.name !== 'NEW_PASSWORD_REQUIRED') throw new Error(`admin sign-in answered ${signIn.status}`);
    const password = `Adm1n-${randomUUID()}`;
    const answer = await api.call('POST', '/auth/new-password', {
      username: challenge.username,
      session: challenge.session,
      newPassword: password,
    });
    if (answer.status !== 200) throw new Error(`admin new-password answered ${answer.status}`);
    return { username, password };
  };
  return {
    name: 'aws',
    baseUrl,
    // cdk.json's allowlist, which the test stack keeps; TEST_ORIGIN is the one origin it adds.
    redirectUri: settingsFromContext(cdkJsonContext()).redirectAllowlist[0] as string,
    allowedOrigin: TEST_ORIGIN,
    messages,
    events: () =>
      settled(async () =>
        (await query(SEAM_TABLE.eventPartition)).map((item): AuditEvent => ({
          detailType: item.detailType?.S ?? '',
          detail: JSON.parse(item.detail?.S ?? 'null'),
        })),
      ),
    async inviteUser(email) {
      await cognito.send(invitation(pool.userPoolId, email));
    },
    // One administrator per test file, made on first use.
    adminCredentials: () => (admin ??= makeAdmin()),
    async stop() {
      cognito.destroy();
      dynamo.destroy();
    },
  };
}

function cdkJsonContext(): Record<string, unknown> {
  const file = readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8');
  return (JSON.parse(file) as { context: Record<string, unknown> }).context;
}

/** Starts the target before a file's tests and stops it after; fields are set once `beforeAll` ran. */
export function useTarget() {
  const handle = {} as { target: Target; api: ReturnType<typeof client> };
  beforeAll(async () => {
    handle.target = await startTarget();
    handle.api = client(handle.target.baseUrl);
  });
  afterAll(async () => {
    await handle.target?.stop();
  });
  return handle;
}
