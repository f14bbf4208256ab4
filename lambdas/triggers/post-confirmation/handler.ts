/**
 * PostConfirmation trigger.
 * - ConfirmSignUp: add the user to the default group (Cognito ignores a repeated add), then
 *   publish `UserConfirmed`.
 * - ConfirmForgotPassword: sign the user out everywhere (AdminUserGlobalSignOut), so no session
 *   from before the reset survives, then publish `PasswordResetCompleted`.
 *
 * - Then, concurrently, the hooks of ./hooks.ts (your own actions), within {@link HOOK_BUDGET_MS}.
 *
 * Failure policy: the group add and the sign-out are part of the promise the product makes, so
 * their failure fails the invocation (Cognito reports it and retries on timeouts). The audit
 * event and the hooks are best-effort: their failure is logged and swallowed, never breaking a
 * person's confirmation. All calls run concurrently with SDK timeouts that keep the whole
 * trigger under 4 s, inside Cognito's 5 s.
 *
 * Safe to repeat. Cognito calls a trigger again when it does not answer in time, up to three
 * attempts (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html),
 * and nothing in the event is unique per confirmation (ROUND2: PostConfirmation deduplication).
 * - AdminAddUserToGroup of a member and AdminUserGlobalSignOut of a signed-out user both succeed
 *   and change nothing, so they simply run again.
 * - The audit event carries `eventId`, derived from pool, sub, trigger source and the
 *   {@link DEDUP_WINDOW_MS} time bucket: every retry of one confirmation inside one bucket has
 *   the same id, so consumers deduplicate on it. An instance that already published for the
 *   same pool, sub and source within the window publishes nothing more (and reuses the id, even
 *   across a bucket edge). Window: 60 s, well above Cognito's three 5 s attempts; two real
 *   resets of one user within 60 s would count as one, which needs two codes typed in a minute.
 */
import { AdminAddUserToGroupCommand, AdminUserGlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createHash } from 'node:crypto';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { clientOptions, cognitoClient } from '../../shared/aws';
import { BUILTIN_METADATA_KEYS, type PostConfirmationConfig, loadConfig } from '../../shared/config';
import { type Environment, lambdaFunction } from '../../shared/function';
import { logger } from '../../shared/logger';
import { scoped } from '../../shared/invocation';
import { type MetricsEmitter, metricsEmitter } from '../../shared/metrics';
import { isAllowedRedirect } from '../../shared/redirect';
import { type HookContext, type PostConfirmationHook, hooks as defaultHooks } from './hooks';

const TIMEOUTS = { connectionTimeout: 500, requestTimeout: 1500, maxAttempts: 2 } as const;

/** Hooks are cut off this long after the invocation starts (the SDK calls end within 4 s). */
export const HOOK_BUDGET_MS = 3000;

/** Retries of one confirmation within this window share one audit event (see the file comment). */
export const DEDUP_WINDOW_MS = 60_000;

/** What an instance remembers of the audit events it published (bounded). */
const MAX_REMEMBERED = 1000;

export interface Options {
  readonly hooks?: readonly PostConfirmationHook[];
  readonly hookBudgetMs?: number;
  readonly now?: () => number;
}

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

const subOf = (event: PostConfirmationTriggerEvent) => event.request.userAttributes?.sub ?? event.userName;

/** The confirmation's stable id: pool, sub, trigger source and the time bucket of `now`. */
export function confirmationId(event: PostConfirmationTriggerEvent, now: number): string {
  const bucket = Math.floor(now / DEDUP_WINDOW_MS);
  const key = [event.userPoolId, subOf(event), event.triggerSource, bucket].join('|');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

export function auditDetail(event: PostConfirmationTriggerEvent, config: PostConfirmationConfig, eventId = '') {
  const attributes = event.request.userAttributes ?? {};
  return {
    eventId,
    sub: subOf(event),
    triggerSource: event.triggerSource,
    userPoolId: event.userPoolId,
    clientId: event.callerContext?.clientId,
    time: new Date().toISOString(),
    clientMetadata: auditMetadata(event.request.clientMetadata, config),
    ...(config.auditIncludeEmail && attributes.email ? { email: attributes.email } : {}),
  };
}

/** True when the event was accepted. */
async function publish(
  event: PostConfirmationTriggerEvent,
  detailType: string,
  eventId: string,
  { config, events, metrics }: Deps,
): Promise<boolean> {
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
            Detail: JSON.stringify(auditDetail(event, config, eventId)),
          },
        ],
      }),
    );
    outcome(!answer.FailedEntryCount);
    if (!answer.FailedEntryCount) return true;
    logger.error('audit event rejected', { detailType, errorCode: answer.Entries?.[0]?.ErrorCode });
  } catch (error) {
    outcome(false);
    logger.error('audit event not published', { detailType, errorName: (error as Error).name });
  }
  return false;
}

/** Runs every hook, each cut off (aborted and logged) when the budget runs out; never rejects. */
async function runHooks(hooks: readonly PostConfirmationHook[], context: HookContext, budgetMs: number) {
  if (hooks.length === 0) return;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<'cut'>((resolve) => {
    timer = setTimeout(() => resolve('cut'), budgetMs);
  });
  await Promise.all(
    hooks.map(async (hook) => {
      try {
        const run = hook.run(context, controller.signal).then(() => 'done' as const);
        if ((await Promise.race([run, budget])) === 'cut') {
          logger.warn('post-confirmation hook cut off by the time budget', { hook: hook.name, budgetMs });
          run.catch(() => undefined);
        }
      } catch (error) {
        logger.error('post-confirmation hook failed', { hook: hook.name, errorName: (error as Error).name });
      }
    }),
  );
  clearTimeout(timer);
  controller.abort();
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

/** The audit events this instance published: pool|sub|source -> id and time. */
class Published {
  private readonly entries = new Map<string, { readonly eventId: string; readonly at: number }>();

  /** The id of an event published for the same confirmation within the window, if any. */
  recent(key: string, now: number): string | undefined {
    const entry = this.entries.get(key);
    return entry && now - entry.at < DEDUP_WINDOW_MS ? entry.eventId : undefined;
  }

  remember(key: string, eventId: string, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { eventId, at: now });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= MAX_REMEMBERED) break;
      this.entries.delete(oldest);
    }
  }
}

/** An instance with the given hooks, budget and clock (tests); {@link create} uses ./hooks.ts. */
export function createWith(env: Environment, options: Options = {}) {
  const config = loadConfig('postConfirmation', env);
  const deps: Deps = {
    config,
    cognito: cognitoClient(TIMEOUTS, config.cognitoEndpoint),
    events: new EventBridgeClient(clientOptions(TIMEOUTS, config.eventBridgeEndpoint)),
    metrics: metricsEmitter(env),
  };
  const hooks = options.hooks ?? defaultHooks;
  const now = options.now ?? Date.now;
  const published = new Published();

  async function audit(event: PostConfirmationTriggerEvent, detailType: string, key: string, eventId: string) {
    if (published.recent(key, now()) === eventId) {
      logger.info('audit event already published for this confirmation', { detailType, eventId });
      return;
    }
    if (await publish(event, detailType, eventId, deps)) published.remember(key, eventId, now());
  }

  return scoped(deps.metrics, async (event: PostConfirmationTriggerEvent) => {
    const detailType = DETAIL_TYPES[event.triggerSource as keyof typeof DETAIL_TYPES];
    if (!detailType) return event;
    const key = [event.userPoolId, subOf(event), event.triggerSource].join('|');
    const eventId = published.recent(key, now()) ?? confirmationId(event, now());
    const context: HookContext = {
      eventId,
      detailType,
      userPoolId: event.userPoolId,
      sub: subOf(event),
      triggerSource: event.triggerSource,
    };
    const [action] = await Promise.allSettled([
      requiredAction(event, deps),
      audit(event, detailType, key, eventId),
      runHooks(hooks, context, options.hookBudgetMs ?? HOOK_BUDGET_MS),
    ]);
    if (action.status === 'rejected') {
      const error = action.reason as Error;
      logger.error('post-confirmation action failed', { triggerSource: event.triggerSource, errorName: error.name });
      deps.metrics.count('TriggerFailures', { trigger: 'postConfirmation' });
      throw new Error(`post-confirmation ${event.triggerSource} failed: ${error.name}`);
    }
    return event;
  });
}

export const { handler, create } = lambdaFunction((env) => createWith(env));
