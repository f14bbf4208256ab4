/**
 * The admin command (scripts/admin.ts) with Cognito and CloudFormation mocked at the SDK: the exact
 * Cognito calls, what it reads from the stack's outputs, and one line (never a stack trace) for
 * every failure. test/integration/admin-command.test.ts runs it for real against the local stack.
 */
import { readFileSync } from 'node:fs';
import * as cfnSdk from '@aws-sdk/client-cloudformation';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  DEFAULT_STACK_NAME,
  OUTPUT_KEYS,
  addAdmin,
  listAdmins,
  readLocalConfig,
  readStackOutputs,
  removeAdmin,
  run,
} from '../../scripts/admin';
import { PasswordBffStack } from '../../lib/password-bff-stack';

const POOL = { userPoolId: 'eu-central-1_Pool12345', groupName: 'admins' };
const EMAIL = 'first.admin@example.com';
const meta = { $metadata: {} };

const cognito = mockClient(sdk.CognitoIdentityProviderClient);
const cfn = mockClient(cfnSdk.CloudFormationClient);

beforeEach(() => {
  cognito.reset();
  cfn.reset();
});

/** DescribeStacks' answer for a stack with these outputs. */
const stackWith = (outputs: Record<string, string>) => ({
  Stacks: [
    {
      StackName: DEFAULT_STACK_NAME,
      StackStatus: 'CREATE_COMPLETE' as const,
      CreationTime: new Date(),
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    },
  ],
});
const OUTPUTS = { ApiUrl: 'https://x.execute-api/prod/', UserPoolId: POOL.userPoolId, Region: 'eu-central-1' };

/** Runs the command, capturing what it prints. */
async function runCommand(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err };
}

/** One line, naming the problem, without a stack frame. */
function expectOneLine(err: string[], pattern: RegExp) {
  expect(err).toHaveLength(1);
  expect(err[0]).toMatch(pattern);
  expect(err[0]).not.toMatch(/\n|\s+at\s+\S+\s+\(|\.ts:\d+/);
}

describe('add', () => {
  it('invites a new user by email with a verified address and adds them to the group', async () => {
    cognito.on(sdk.AdminCreateUserCommand).resolves({ User: { Username: 'sub-1' } });
    cognito.on(sdk.AdminAddUserToGroupCommand).resolves({});

    await expect(addAdmin(new sdk.CognitoIdentityProviderClient({}), POOL, EMAIL)).resolves.toBe('invited');

    // DesiredDeliveryMediums defaults to SMS: EMAIL must be asked for.
    // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
    expect(cognito.commandCalls(sdk.AdminCreateUserCommand).map((c) => c.args[0].input)).toEqual([
      {
        UserPoolId: POOL.userPoolId,
        Username: EMAIL,
        UserAttributes: [
          { Name: 'email', Value: EMAIL },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      },
    ]);
    expect(cognito).toHaveReceivedCommandWith(sdk.AdminAddUserToGroupCommand, {
      UserPoolId: POOL.userPoolId,
      Username: EMAIL,
      GroupName: 'admins',
    });
  });

  it('adds an existing user who is not in the group, without failing', async () => {
    cognito
      .on(sdk.AdminCreateUserCommand)
      .rejects(
        new sdk.UsernameExistsException({ message: 'An account with the given email already exists.', ...meta }),
      );
    cognito
      .on(sdk.AdminListGroupsForUserCommand)
      .resolvesOnce({ Groups: [{ GroupName: 'users' }], NextToken: 'page-2' })
      .resolvesOnce({ Groups: [{ GroupName: 'editors' }] });
    cognito.on(sdk.AdminAddUserToGroupCommand).resolves({});

    await expect(addAdmin(new sdk.CognitoIdentityProviderClient({}), POOL, EMAIL)).resolves.toBe('added');

    expect(cognito).toHaveReceivedCommandTimes(sdk.AdminListGroupsForUserCommand, 2);
    expect(cognito).toHaveReceivedNthSpecificCommandWith(2, sdk.AdminListGroupsForUserCommand, { NextToken: 'page-2' });
    expect(cognito).toHaveReceivedCommandWith(sdk.AdminAddUserToGroupCommand, { Username: EMAIL, GroupName: 'admins' });
  });

  it('says an existing member is already an admin and changes nothing', async () => {
    cognito.on(sdk.AdminCreateUserCommand).rejects(new sdk.UsernameExistsException({ message: 'exists', ...meta }));
    cognito
      .on(sdk.AdminListGroupsForUserCommand)
      .resolves({ Groups: [{ GroupName: 'users' }, { GroupName: 'admins' }] });

    await expect(addAdmin(new sdk.CognitoIdentityProviderClient({}), POOL, EMAIL)).resolves.toBe('already-admin');
    expect(cognito).not.toHaveReceivedCommand(sdk.AdminAddUserToGroupCommand);
  });

  it('lets any other Cognito error through, without adding to the group', async () => {
    cognito
      .on(sdk.AdminCreateUserCommand)
      .rejects(new sdk.ResourceNotFoundException({ message: 'User pool does not exist.', ...meta }));

    await expect(addAdmin(new sdk.CognitoIdentityProviderClient({}), POOL, EMAIL)).rejects.toThrow(
      'User pool does not exist.',
    );
    expect(cognito).not.toHaveReceivedCommand(sdk.AdminAddUserToGroupCommand);
  });
});

describe('remove and list', () => {
  const client = () => new sdk.CognitoIdentityProviderClient({});

  it('removes a member, and says so when the user is not a member or has no account', async () => {
    cognito.on(sdk.AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'admins' }] });
    cognito.on(sdk.AdminRemoveUserFromGroupCommand).resolves({});
    await expect(removeAdmin(client(), POOL, EMAIL)).resolves.toBe('removed');
    expect(cognito).toHaveReceivedCommandWith(sdk.AdminRemoveUserFromGroupCommand, {
      UserPoolId: POOL.userPoolId,
      Username: EMAIL,
      GroupName: 'admins',
    });

    cognito.reset();
    cognito.on(sdk.AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'users' }] });
    await expect(removeAdmin(client(), POOL, EMAIL)).resolves.toBe('not-admin');
    cognito.on(sdk.AdminListGroupsForUserCommand).rejects(new sdk.UserNotFoundException({ message: 'no', ...meta }));
    await expect(removeAdmin(client(), POOL, EMAIL)).resolves.toBe('no-account');
    expect(cognito).not.toHaveReceivedCommand(sdk.AdminRemoveUserFromGroupCommand);
  });

  it('lists every page of the group by email and status', async () => {
    const user = (email: string, status: sdk.UserStatusType, enabled = true) => ({
      Username: `sub-${email}`,
      Attributes: [
        { Name: 'sub', Value: `sub-${email}` },
        { Name: 'email', Value: email },
      ],
      UserStatus: status,
      Enabled: enabled,
    });
    cognito
      .on(sdk.ListUsersInGroupCommand)
      .resolvesOnce({ Users: [user('a@example.com', 'CONFIRMED')], NextToken: 'next' })
      .resolvesOnce({ Users: [user('b@example.com', 'FORCE_CHANGE_PASSWORD', false)] });

    await expect(listAdmins(client(), POOL)).resolves.toEqual([
      { email: 'a@example.com', status: 'CONFIRMED', enabled: true },
      { email: 'b@example.com', status: 'FORCE_CHANGE_PASSWORD', enabled: false },
    ]);
    expect(cognito).toHaveReceivedNthSpecificCommandWith(1, sdk.ListUsersInGroupCommand, {
      UserPoolId: POOL.userPoolId,
      GroupName: 'admins',
    });
    expect(cognito).toHaveReceivedNthSpecificCommandWith(2, sdk.ListUsersInGroupCommand, { NextToken: 'next' });
  });
});

describe('the stack outputs', () => {
  it('reads the pool, the region and the admins group from DescribeStacks', async () => {
    cfn.on(cfnSdk.DescribeStacksCommand).resolves(stackWith({ ...OUTPUTS, AdminGroupName: 'operators' }));
    await expect(
      readStackOutputs(new cfnSdk.CloudFormationClient({ region: 'eu-central-1' }), 'MyStack'),
    ).resolves.toEqual({ userPoolId: POOL.userPoolId, region: 'eu-central-1', groupName: 'operators' });
    expect(cfn).toHaveReceivedCommandWith(cfnSdk.DescribeStacksCommand, { StackName: 'MyStack' });
  });

  it('are what the stack outputs: the admin group output is the pinned admins group', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const template = Template.fromStack(new PasswordBffStack(app, DEFAULT_STACK_NAME));
    expect(Object.keys(template.findOutputs('*'))).toEqual(expect.arrayContaining(Object.values(OUTPUT_KEYS)));
    template.hasOutput('AdminGroupName', { Value: { Ref: 'IdentityAdminsGroup3AE52AE1' } });
  });

  it("defaults to bin/app.ts's stack name", () => {
    const app = readFileSync(new URL('../../bin/app.ts', import.meta.url), 'utf8');
    expect(/new PasswordBffStack\(app, '([^']+)'/.exec(app)?.[1]).toBe(DEFAULT_STACK_NAME);
  });
});

describe('run against AWS', () => {
  it('finds the stack, then calls Cognito in the region the stack outputs', async () => {
    cfn.on(cfnSdk.DescribeStacksCommand).resolves(stackWith({ ...OUTPUTS, AdminGroupName: 'admins' }));
    cognito.on(sdk.AdminCreateUserCommand).resolves({});
    cognito.on(sdk.AdminAddUserToGroupCommand).resolves({});

    const { code, out, err } = await runCommand('add', EMAIL, '--region', 'eu-west-3');

    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toContain(`Invited ${EMAIL}`);
    expect(out).toContain(`stack ${DEFAULT_STACK_NAME}, eu-central-1, pool ${POOL.userPoolId}`);
    expect(cfn).toHaveReceivedCommandWith(cfnSdk.DescribeStacksCommand, { StackName: DEFAULT_STACK_NAME });
    await expect(cfn.call(0).thisValue.config.region()).resolves.toBe('eu-west-3');
    await expect(cognito.call(0).thisValue.config.region()).resolves.toBe('eu-central-1');
  });

  it('says so when the user is already an admin', async () => {
    cfn.on(cfnSdk.DescribeStacksCommand).resolves(stackWith({ ...OUTPUTS, AdminGroupName: 'admins' }));
    cognito.on(sdk.AdminCreateUserCommand).rejects(new sdk.UsernameExistsException({ message: 'exists', ...meta }));
    cognito.on(sdk.AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'admins' }] });

    const { code, out } = await runCommand('add', EMAIL, '--stack-name', 'Other', '--region', 'eu-central-1');
    expect(code).toBe(0);
    expect(out).toContain(`${EMAIL} is already in "admins"`);
    expect(cfn).toHaveReceivedCommandWith(cfnSdk.DescribeStacksCommand, { StackName: 'Other' });
  });

  it.each([
    [
      'a missing stack',
      () =>
        cfn
          .on(cfnSdk.DescribeStacksCommand)
          .rejects(Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError' })),
      /^admin: stack "Nope" not found in eu-west-3: pass --stack-name and --region/,
    ],
    [
      'a stack without the admin group output',
      () => cfn.on(cfnSdk.DescribeStacksCommand).resolves(stackWith(OUTPUTS)),
      /^admin: stack "Nope" has no output AdminGroupName: .*npx cdk deploy/,
    ],
    [
      'no credentials',
      () =>
        cfn.on(cfnSdk.DescribeStacksCommand).rejects(
          Object.assign(new Error('Could not load credentials from any providers'), {
            name: 'CredentialsProviderError',
          }),
        ),
      /^admin: no AWS credentials: set AWS_PROFILE/,
    ],
    [
      'an unreachable endpoint',
      () =>
        cfn.on(cfnSdk.DescribeStacksCommand).rejects(
          Object.assign(new Error('getaddrinfo ENOTFOUND cloudformation.eu-west-3.amazonaws.com'), {
            code: 'ENOTFOUND',
            hostname: 'cloudformation.eu-west-3.amazonaws.com',
          }),
        ),
      /^admin: cannot reach cloudformation\.eu-west-3\.amazonaws\.com \(ENOTFOUND\)/,
    ],
    [
      'a Cognito refusal',
      () => {
        cfn.on(cfnSdk.DescribeStacksCommand).resolves(stackWith({ ...OUTPUTS, AdminGroupName: 'admins' }));
        cognito.on(sdk.AdminCreateUserCommand).rejects(
          new sdk.NotAuthorizedException({
            message: 'User: arn:aws:iam::1:user/x is not authorized to perform: cognito-idp:AdminCreateUser',
            ...meta,
          }),
        );
      },
      /^admin: NotAuthorizedException: User: arn:aws:iam::1:user\/x is not authorized/,
    ],
  ])('prints one line and exits 1 for %s', async (_name, arrange, line) => {
    arrange();
    const { code, out, err } = await runCommand('add', EMAIL, '--stack-name', 'Nope', '--region', 'eu-west-3');
    expect(code).toBe(1);
    expect(out).toBe('');
    expectOneLine(err, line);
  });

  it.each([
    [[], /an action is needed: add, remove or list/],
    [['promote', EMAIL], /unknown action "promote"/],
    [['add'], /add needs an email address/],
    [['add', 'not-an-email'], /"not-an-email" is not an email address/],
    [['add', EMAIL, 'extra'], /unexpected argument "extra"/],
    [['list', EMAIL], /unexpected argument/],
    [['add', EMAIL, '--local', 'ftp://x'], /--local needs the BFF's URL/],
    [['add', EMAIL, '--local', 'http://127.0.0.1:3000', '--region', 'eu-west-1'], /takes no --stack-name/],
    [['add', EMAIL, '--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with one usage line and exit code 2, before any call', async (argv, line) => {
    const { code, err } = await runCommand(...argv);
    expect(code).toBe(2);
    expectOneLine(err, line);
    expect(cfn.calls()).toHaveLength(0);
    expect(cognito.calls()).toHaveLength(0);
  });
});

describe('the local target', () => {
  const answer = (status: number, body: unknown) => async () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const CONFIG = {
    cognitoEndpoint: 'http://127.0.0.1:4567',
    region: 'us-east-1',
    userPoolId: 'us-east-1_Local1234',
    clientId: 'c',
    clientSecret: 's',
    adminGroupName: 'admins',
  };

  it('reads the endpoint, region, pool and admins group from GET /_local/config', async () => {
    const seen: string[] = [];
    const fetchStub = (async (url: URL) => {
      seen.push(String(url));
      return answer(200, CONFIG)();
    }) as typeof fetch;
    await expect(readLocalConfig('http://127.0.0.1:3000/some/path', fetchStub)).resolves.toEqual({
      cognitoEndpoint: CONFIG.cognitoEndpoint,
      region: CONFIG.region,
      userPoolId: CONFIG.userPoolId,
      groupName: 'admins',
    });
    expect(seen).toEqual(['http://127.0.0.1:3000/_local/config']);
  });

  it('calls the local Cognito endpoint with the config', async () => {
    cognito.on(sdk.ListUsersInGroupCommand).resolves({ Users: [] });
    const out: string[] = [];
    const code = await run(['list', '--local', 'http://127.0.0.1:3000'], {
      out: (line) => out.push(line),
      err: (line) => out.push(line),
      fetch: answer(200, CONFIG) as typeof fetch,
    });
    expect(out).toEqual([expect.stringMatching(/^Nobody is in "admins" \(local stack http:\/\/127\.0\.0\.1:3000/)]);
    expect(code).toBe(0);
    expect(cognito).toHaveReceivedCommandWith(sdk.ListUsersInGroupCommand, {
      UserPoolId: CONFIG.userPoolId,
      GroupName: 'admins',
    });
    const endpoint = await cognito.call(0).thisValue.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(4567);
  });

  it.each([
    ['without adminGroupName', answer(200, { ...CONFIG, adminGroupName: undefined })],
    ['that is not JSON', async () => new Response('<html>', { status: 200 })],
    ['that answers 404', answer(404, { title: 'Not Found' })],
  ])('refuses a /_local/config %s with one line', async (_name, fetchStub) => {
    const err: string[] = [];
    const code = await run(['add', EMAIL, '--local', 'http://127.0.0.1:3000'], {
      out: () => {},
      err: (line) => err.push(line),
      fetch: fetchStub as typeof fetch,
    });
    expect(code).toBe(1);
    expectOneLine(err, /^admin: http:\/\/127\.0\.0\.1:3000\/_local\/config answered \d+ without .*adminGroupName/);
    expect(cognito.calls()).toHaveLength(0);
  });
});
