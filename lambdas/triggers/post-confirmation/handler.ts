/**
 * PostConfirmation trigger.
 * - ConfirmSignUp: add the user to the default group (Cognito ignores a repeated add), then
 *   publish `UserConfirmed`.
 * - ConfirmForgotPassword: sign the user out everywhere (AdminUserGlobalSignOut), so no session
 *   from before the reset survives, then publish `PasswordResetCompleted`.
 *
 * Failure policy: the group add and the sign-out are part of the promise the product makes, so
 * their failure fails the invocation (Cognito reports it and retries on timeouts; both calls are
 * idempotent). The audit event is best-effort: its failure is logged and swallowed, never
 * breaking a person's confirmation. All calls run concurrently with SDK timeouts that keep the
 * whole trigger under 4 s, inside Cognito's 5 s.
 */
import { AdminAddUserToGroupCommand, AdminUserGlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { clientOptions, cognitoClient } from '../../shared/aws';
import { BUILTIN_METADATA_KEYS, type PostConfirmationConfig, loadConfig } from '../../shared/config';
import { lambdaFunction } from '../../shared/function';
import { logger } from '../../shared/logger';
import { type MetricsEmitter, metricsEmitter } from '../../shared/metrics';
import { isAllowedRedirect } from '../../shared/redirect';

const TIMEOUTS = { connectionTimeout: 500, requestTimeout: 1500, maxAttempts: 2 } as const;

interface Deps {
  readonly config: PostConfirmationConfig;
  readonly cognito: CognitoIdentityProviderClient;
  readonly events: EventBridgeClient;
  readonly metrics: MetricsEmitter;
}

const DETAIL_TYPES = {
  PostConfirmation_ConfirmSignUp: 'UserConfirmed',
  PostConfirmation_ConfirmForgotPassword: 'PasswordResetCompleted',
} as const;

/** Only known keys, capped, and a redirectUri only when allowlisted. */
export function auditMetadata(
  metadata: Record<string, string> | undefined,
  config: Pick<PostConfirmationConfig, 'clientMetadataKeys' | 'redirectAllowlist'>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [...BUILTIN_METADATA_KEYS, ...config.clientMetadataKeys]) {
    const value = metadata?.[key];
    if (typeof value !== 'string') continue;
    if (key === 'redirectUri' && !isAllowedRedirect(value, config.redirectAllowlist)) continue;
    out[key] = value.slice(0, 256);
  }
  return out;
}

export function auditDetail(event: PostConfirmationTriggerEvent, config: PostConfirmationConfig) {
  const attributes = event.request.userAttributes ?? {};
  return {
    sub: attributes.sub ?? event.userName,
    triggerSource: event.triggerSource,
    userPoolId: event.userPoolId,
    clientId: event.callerContext?.clientId,
    time: new Date().toISOString(),
    clientMetadata: auditMetadata(event.request.clientMetadata, config),
    ...(config.auditIncludeEmail && attributes.email ? { email: attributes.email } : {}),
  };
}

async function publish(event: PostConfirmationTriggerEvent, detailType: string, { config, events, metrics }: Deps) {
  const outcome = (ok: boolean) =>
    metrics.count('PostConfirmationActions', { action: 'auditEvent', outcome: ok ? 'ok' : 'failed' });
  try {
    const answer = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: config.eventBusName,
            Source: config.eventSource,
            DetailType: detailType,
            Detail: JSON.stringify(auditDetail(event, config)),
          },
        ],
      }),
    );
    if (answer.FailedEntryCount)
      logger.error('audit event rejected', { detailType, errorCode: answer.Entries?.[0]?.ErrorCode });
    outcome(!answer.FailedEntryCount);
  } catch (error) {
    outcome(false);
    logger.error('audit event not published', { detailType, errorName: (error as Error).name });
  }
}

function requiredAction(event: PostConfirmationTriggerEvent, { config, cognito, metrics }: Deps): Promise<unknown> {
  const target = { UserPoolId: event.userPoolId, Username: event.userName };
  const counted = (action: 'addToGroup' | 'signOut', call: Promise<unknown>) =>
    call.then(
      (answer) => {
        metrics.count('PostConfirmationActions', { action, outcome: 'ok' });
        return answer;
      },
      (error: unknown) => {
        metrics.count('PostConfirmationActions', { action, outcome: 'failed' });
        throw error;
      },
    );
  if (event.triggerSource === 'PostConfirmation_ConfirmSignUp') {
    const add = new AdminAddUserToGroupCommand({ ...target, GroupName: config.defaultGroupName });
    return counted('addToGroup', cognito.send(add));
  }
  return config.signOutOnPasswordReset
    ? counted('signOut', cognito.send(new AdminUserGlobalSignOutCommand(target)))
    : Promise.resolve();
}

export const { handler, create } = lambdaFunction((env) => {
  const config = loadConfig('postConfirmation', env);
  const deps: Deps = {
    config,
    cognito: cognitoClient(TIMEOUTS, config.cognitoEndpoint),
    events: new EventBridgeClient(clientOptions(TIMEOUTS, config.eventBridgeEndpoint)),
    metrics: metricsEmitter(env),
  };
  return async (event: PostConfirmationTriggerEvent) => {
    const detailType = DETAIL_TYPES[event.triggerSource as keyof typeof DETAIL_TYPES];
    if (!detailType) return event;
    const [action] = await Promise.allSettled([requiredAction(event, deps), publish(event, detailType, deps)]);
    if (action.status === 'rejected') {
      const error = action.reason as Error;
      logger.error('post-confirmation action failed', { triggerSource: event.triggerSource, errorName: error.name });
      deps.metrics.count('TriggerFailures', { trigger: 'postConfirmation' });
      throw new Error(`post-confirmation ${event.triggerSource} failed: ${error.name}`);
    }
    return event;
  };
});
