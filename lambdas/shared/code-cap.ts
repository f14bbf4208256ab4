/**
 * The per-user cap on verification codes sent to a new address (issue 17, bff:verificationCodeCap): Cognito's own
 * per-user limit on code requests is unpublished and generous, and each code is a mail to an address the caller
 * chose. A fixed window per user: the item `<sub>#<window number>` of a DynamoDB table counts the sends of that
 * window with one conditional UpdateItem, an atomic counter that refuses to pass `max`
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.AtomicCounters,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html). The
 * window is in the key, so an old item never counts again; TTL (`expiresAt`) only clears the table.
 *
 * One signed call (signed-request.ts) rather than a DynamoDB client, loaded on first use by the two functions
 * that count; each may call dynamodb:UpdateItem on that table only. Locally the same call goes to the local
 * stack's DynamoDB emulation (DYNAMODB_ENDPOINT, local/dynamodb.ts).
 */
import type { CodeCapConfig } from './config';
import { ServiceUnavailableError, TooManyRequestsError } from './problem';
import { signedPost } from './signed-request';

export interface CodeCapTarget {
  readonly cap: CodeCapConfig;
  /** Local stack only. @default - DynamoDB's regional endpoint */
  readonly endpoint?: string;
  readonly retryAfterSeconds: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The UpdateItem that counts one send, refused once the window holds `max`. */
export function countRequest(cap: CodeCapConfig, sub: string, nowMs: number) {
  const window = Math.floor(nowMs / 1000 / cap.windowSeconds);
  return {
    TableName: cap.table,
    Key: { pk: { S: `${sub}#${window}` } },
    UpdateExpression: 'ADD #sends :one SET #expiresAt = :expiresAt',
    ConditionExpression: 'attribute_not_exists(#sends) OR #sends < :max',
    ExpressionAttributeNames: { '#sends': 'sends', '#expiresAt': 'expiresAt' },
    ExpressionAttributeValues: {
      ':one': { N: '1' },
      ':max': { N: String(cap.max) },
      // Epoch seconds, DynamoDB TTL's format: the end of the window.
      ':expiresAt': { N: String((window + 1) * cap.windowSeconds) },
    },
  };
}

/**
 * Counts one code send of the user `sub`, or refuses it: 429 CodeLimitExceeded with the one Retry-After
 * (bff:retryAfterSeconds, a minimum wait: the window may last longer). The route is authenticated, so the limit
 * hides nothing. If the store cannot be reached the send is refused too (503): the cap holds, and nothing is sent.
 */
export async function checkCodeCap(target: CodeCapTarget, sub: string): Promise<void> {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  let answer;
  try {
    answer = await signedPost({
      service: 'dynamodb',
      region,
      url: new URL(target.endpoint ?? `https://dynamodb.${region}.amazonaws.com/`),
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.UpdateItem' },
      body: countRequest(target.cap, sub, (target.now ?? Date.now)()),
    });
  } catch (cause) {
    throw unavailable(cause);
  }
  if (answer.errorType === 'ConditionalCheckFailedException') {
    throw new TooManyRequestsError(
      'CodeLimitExceeded',
      'Too many verification codes were sent for this account; try again later.',
      target.retryAfterSeconds,
    );
  }
  if (answer.errorType) throw unavailable(new Error(`DynamoDB UpdateItem failed: ${answer.errorType}`));
}

const unavailable = (cause: unknown) =>
  new ServiceUnavailableError('CodeLimitUnavailable', 'A verification code cannot be sent now; try again later.', {
    cause,
  });
