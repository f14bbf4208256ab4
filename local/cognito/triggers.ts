/** Lambda triggers as Cognito runs them: the event it sends, the time budget, the errors it reports. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine } from './engine';
import { CognitoError, type StoredPool, type StoredUser } from './model';

export type ClientMetadata = Record<string, string> | undefined;

export function triggerEvent(
  engine: Engine,
  pool: StoredPool,
  clientId: string,
  user: StoredUser,
  triggerSource: string,
  request: Record<string, unknown>,
  clientMetadata: ClientMetadata,
) {
  return {
    version: '1',
    region: engine.region,
    userPoolId: pool.id,
    userName: user.username,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
    triggerSource,
    request: {
      userAttributes: { ...user.attributes, 'cognito:user_status': user.status },
      ...request,
      ...(clientMetadata && Object.keys(clientMetadata).length > 0 ? { clientMetadata } : {}),
    },
    response: {} as Record<string, unknown>,
  };
}

/**
 * Runs a trigger like Cognito: 5 s budget, failures reported with Cognito's exception names. An invocation
 * first waits `engine.triggerLatencyMs` (inside the budget), the time a Lambda invocation takes in AWS, so that
 * the timing of an operation that runs a trigger only for real users can be measured (test/reliability).
 */
export async function invokeTrigger(
  engine: Engine,
  kind: 'CustomMessage' | 'PostConfirmation',
  arn: string,
  event: unknown,
) {
  const handler = engine.triggers[arn];
  if (!handler) throw new CognitoError('UnexpectedLambdaException', `${kind} invocation failed: function not found.`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CognitoError('UnexpectedLambdaException', `${kind} invocation failed due to timeout.`)),
      engine.triggerTimeoutMs,
    );
  });
  const context = { functionName: arn.split(':').pop(), getRemainingTimeInMillis: () => engine.triggerTimeoutMs };
  try {
    const invocation = async () => {
      if (engine.triggerLatencyMs > 0) await sleep(engine.triggerLatencyMs);
      return handler(event as never, context as never);
    };
    return await Promise.race([invocation(), timeout]);
  } catch (error) {
    if (error instanceof CognitoError) throw error;
    throw new CognitoError('UserLambdaValidationException', `${kind} failed with error ${(error as Error).message}.`);
  } finally {
    clearTimeout(timer);
  }
}

export async function postConfirmation(
  engine: Engine,
  pool: StoredPool,
  clientId: string,
  user: StoredUser,
  source: 'ConfirmSignUp' | 'ConfirmForgotPassword',
  clientMetadata: ClientMetadata,
): Promise<void> {
  const arn = pool.lambdaConfig.PostConfirmation;
  if (!arn) return;
  const event = triggerEvent(engine, pool, clientId, user, `PostConfirmation_${source}`, {}, clientMetadata);
  await invokeTrigger(engine, 'PostConfirmation', arn, event);
}
