/**
 * The AWS target of the flow suite (test/support/target.ts, BFF_TARGET=aws) with CloudFormation, DynamoDB and
 * Cognito mocked at the SDK: what it reads from the test stack's outputs and from the seam's table.
 */
import * as cfnSdk from '@aws-sdk/client-cloudformation';
import * as cognitoSdk from '@aws-sdk/client-cognito-identity-provider';
import * as dynamoSdk from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startTarget } from '../support/target';
import { TEST_ORIGIN } from './seam-contract';

const cfn = mockClient(cfnSdk.CloudFormationClient);
const dynamo = mockClient(dynamoSdk.DynamoDBClient);
const cognito = mockClient(cognitoSdk.CognitoIdentityProviderClient);

const OUTPUTS: Record<string, string> = {
  ApiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/',
  UserPoolId: 'eu-west-1_Pool',
  Region: 'eu-west-1',
  AdminGroupName: 'admins',
  TestSeamTableName: 'seam-table',
};
const describeWith = (outputs: Record<string, string>) => ({
  Stacks: [
    {
      StackName: 'PasswordBffTest-x',
      StackStatus: 'CREATE_COMPLETE' as const,
      CreationTime: new Date(),
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    },
  ],
});

const saved = { ...process.env };
beforeEach(() => {
  cfn.reset();
  dynamo.reset();
  cognito.reset();
  process.env.BFF_TEST_STACK_NAME = 'PasswordBffTest-x';
  process.env.AWS_REGION = 'eu-west-1';
  process.env.BFF_AWS_SETTLE_MS = '1';
  cfn.on(cfnSdk.DescribeStacksCommand).resolves(describeWith(OUTPUTS));
});
afterEach(() => {
  process.env = { ...saved };
});

describe('the AWS target', () => {
  it("needs the stack's name, and every output it reads", async () => {
    delete process.env.BFF_TEST_STACK_NAME;
    await expect(startTarget('aws')).rejects.toThrow(/BFF_TARGET=aws needs BFF_TEST_STACK_NAME/);
    process.env.BFF_TEST_STACK_NAME = 'PasswordBffTest-x';
    const { TestSeamTableName: _, ...withoutSeam } = OUTPUTS;
    cfn.on(cfnSdk.DescribeStacksCommand).resolves(describeWith(withoutSeam));
    await expect(startTarget('aws')).rejects.toThrow('stack PasswordBffTest-x has no output TestSeamTableName');
    await expect(startTarget('elsewhere')).rejects.toThrow(/BFF_TARGET=elsewhere: the targets are local and aws/);
  });

  it('reads the base URL, an allowed origin and an allowlisted redirect from the stack and its settings', async () => {
    const target = await startTarget('aws');
    expect(target).toMatchObject({
      name: 'aws',
      baseUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
      allowedOrigin: TEST_ORIGIN,
      redirectUri: 'http://localhost:3000/',
    });
    expect(cfn).toHaveReceivedCommandWith(cfnSdk.DescribeStacksCommand, { StackName: 'PasswordBffTest-x' });
    await target.stop();
  });

  it("reads a mailbox from the seam's table, oldest first, once the records have settled", async () => {
    const item = (code: string) => ({
      pk: { S: 'mail#jane@example.com' },
      sk: { S: `2026-01-01T00:00:0${code}.000Z#id` },
      triggerSource: { S: 'CustomMessage_SignUp' },
      subject: { S: 'Confirm' },
      body: { S: `code ${code}` },
      code: { S: code },
    });
    // Cognito calls the seam asynchronously: the second message arrives between two reads.
    dynamo
      .on(dynamoSdk.QueryCommand)
      .resolvesOnce({ Items: [item('1')] })
      .resolves({ Items: [item('1'), item('2')] });
    const target = await startTarget('aws');
    const messages = await target.messages('Jane@Example.com');
    expect(messages.map((m) => m.code)).toEqual(['1', '2']);
    expect(messages[1]).toEqual({
      triggerSource: 'CustomMessage_SignUp',
      subject: 'Confirm',
      body: 'code 2',
      code: '2',
    });
    expect(dynamo).toHaveReceivedCommandWith(dynamoSdk.QueryCommand, {
      TableName: 'seam-table',
      ExpressionAttributeValues: { ':pk': { S: 'mail#jane@example.com' } },
      ConsistentRead: true,
    });
    await target.stop();
  });

  it('reads audit events and invites a user as an administrator does', async () => {
    dynamo.on(dynamoSdk.QueryCommand).resolves({
      Items: [
        {
          pk: { S: 'events' },
          sk: { S: 't#1' },
          detailType: { S: 'UserConfirmed' },
          detail: { S: JSON.stringify({ sub: 's' }) },
        },
      ],
    });
    cognito.on(cognitoSdk.AdminCreateUserCommand).resolves({});
    const target = await startTarget('aws');
    expect(await target.events()).toEqual([{ detailType: 'UserConfirmed', detail: { sub: 's' } }]);
    await target.inviteUser('new@example.com');
    expect(cognito).toHaveReceivedCommandWith(cognitoSdk.AdminCreateUserCommand, {
      UserPoolId: 'eu-west-1_Pool',
      Username: 'new@example.com',
      UserAttributes: [
        { Name: 'email', Value: 'new@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    await target.stop();
  });
});
