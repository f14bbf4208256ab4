/**
 * The test seam's function, deployed ONLY in the throwaway stack of `npm run test:aws` (test/aws/seam.ts
 * refuses any other stack). It lets the flow suite read what a person would find in their mailbox and what
 * the audit bus published, by writing both into the seam's DynamoDB table, which only the test reads.
 *
 * - Cognito's CustomEmailSender trigger: Cognito never hands a CustomMessage trigger the code (only the
 *   `{####}` placeholder), so the test stack routes email through a custom sender, which gets the code
 *   encrypted with the stack's KMS key (AWS Encryption SDK). The function decrypts it, has the product's
 *   CustomMessage code build the message from the same event Cognito would have sent it, fills the
 *   placeholders as Cognito does, and records the result. Nothing is mailed: no mail to made-up
 *   addresses, no use of the pool's daily email quota.
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-email-sender.html
 * - An EventBridge rule on the audit bus: every event is recorded as it arrived.
 */
import type { CustomMessageTriggerEvent, EventBridgeEvent } from 'aws-lambda';
import { create as createCustomMessage } from '../../lambdas/triggers/custom-message/handler';
import { SEAM_TABLE } from './seam-contract';

/** What Cognito sends a CustomEmailSender function (request version V1_0). */
export interface CustomEmailSenderEvent {
  readonly version: string;
  readonly triggerSource: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly userName: string;
  readonly callerContext: { awsSdkVersion?: string; clientId?: string };
  readonly request: {
    readonly type: string;
    /** The code or temporary password, encrypted (base64 Encryption SDK message); null when there is none. */
    readonly code: string | null;
    readonly userAttributes: Record<string, string>;
    readonly clientMetadata?: Record<string, string>;
  };
}

/** A message as the local outbox records it (test/support/target.ts `Message`), plus its address. */
export interface SeamMessage {
  readonly to: string;
  readonly triggerSource: string;
  readonly subject: string;
  readonly body: string;
  readonly code: string;
}

const SENDER_PREFIX = 'CustomEmailSender_';

type CustomMessageHandler = (event: CustomMessageTriggerEvent) => Promise<CustomMessageTriggerEvent>;

/**
 * The message Cognito would have sent for `event`: the CustomMessage trigger's subject and body (Cognito's
 * default text when the trigger leaves them unset), with `{####}` and `{username}` filled in. The
 * triggerSource is the CustomMessage one (`CustomMessage_SignUp`, ...), as the local outbox names it.
 */
export async function composeMessage(
  event: CustomEmailSenderEvent,
  code: string,
  customMessage: CustomMessageHandler,
): Promise<SeamMessage> {
  if (!event.triggerSource.startsWith(SENDER_PREFIX)) throw new Error(`not a sender event: ${event.triggerSource}`);
  const triggerSource = `CustomMessage_${event.triggerSource.slice(SENDER_PREFIX.length)}`;
  const adminCreate = triggerSource === 'CustomMessage_AdminCreateUser';
  const message = {
    version: '1',
    triggerSource,
    region: event.region,
    userPoolId: event.userPoolId,
    userName: event.userName,
    callerContext: { awsSdkVersion: event.callerContext.awsSdkVersion ?? '', clientId: event.callerContext.clientId },
    request: {
      userAttributes: event.request.userAttributes,
      codeParameter: '{####}',
      linkParameter: '{##Click Here##}',
      usernameParameter: adminCreate ? '{username}' : null,
      clientMetadata: event.request.clientMetadata,
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  } as unknown as CustomMessageTriggerEvent;
  const answer = await customMessage(message);
  const subject = answer.response.emailSubject ?? (adminCreate ? 'Your temporary password' : 'Your verification code');
  const body =
    answer.response.emailMessage ??
    (adminCreate
      ? 'Your username is {username} and temporary password is {####}.'
      : 'Your verification code is {####}.');
  const fill = (text: string) => text.replaceAll('{####}', code).replaceAll('{username}', event.userName);
  return {
    to: event.request.userAttributes.email ?? event.userName,
    triggerSource,
    subject: fill(subject),
    body: fill(body),
    code,
  };
}

/** The seam's record of `message`, kept for a day. */
export function messageItem(message: SeamMessage, now: number, id: string) {
  return {
    [SEAM_TABLE.partitionKey]: { S: SEAM_TABLE.mailPartition(message.to) },
    [SEAM_TABLE.sortKey]: { S: `${new Date(now).toISOString()}#${id}` },
    [SEAM_TABLE.ttl]: { N: String(Math.floor(now / 1000) + 86_400) },
    triggerSource: { S: message.triggerSource },
    subject: { S: message.subject },
    body: { S: message.body },
    code: { S: message.code },
  };
}

/** The seam's record of an audit event. */
export function eventItem(event: EventBridgeEvent<string, unknown>, now: number) {
  return {
    [SEAM_TABLE.partitionKey]: { S: SEAM_TABLE.eventPartition },
    [SEAM_TABLE.sortKey]: { S: `${event.time}#${event.id}` },
    [SEAM_TABLE.ttl]: { N: String(Math.floor(now / 1000) + 86_400) },
    detailType: { S: event['detail-type'] },
    detail: { S: JSON.stringify(event.detail) },
  };
}

let customMessage: CustomMessageHandler | undefined;

export async function handler(event: CustomEmailSenderEvent | EventBridgeEvent<string, unknown>): Promise<void> {
  const { DynamoDBClient, PutItemCommand } = await import('@aws-sdk/client-dynamodb');
  const dynamo = new DynamoDBClient({});
  const TableName = process.env.SEAM_TABLE_NAME;
  if ('detail-type' in event) {
    await dynamo.send(new PutItemCommand({ TableName, Item: eventItem(event, Date.now()) }));
    return;
  }
  const { KmsKeyringNode, buildClient, CommitmentPolicy } = await import('@aws-crypto/client-node');
  let code = '';
  if (event.request.code) {
    const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
    const keyring = new KmsKeyringNode({ keyIds: [process.env.SEAM_KEY_ARN ?? ''] });
    const { plaintext } = await decrypt(keyring, Buffer.from(event.request.code, 'base64'));
    code = plaintext.toString('utf8');
  }
  customMessage ??= createCustomMessage(process.env);
  const message = await composeMessage(event, code, customMessage);
  await dynamo.send(new PutItemCommand({ TableName, Item: messageItem(message, Date.now(), crypto.randomUUID()) }));
}
