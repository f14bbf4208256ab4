/**
 * PostConfirmation is safe to repeat (Cognito calls a trigger again when it does not answer in
 * time, up to three attempts:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html),
 * and its hooks are cut off by a time budget that keeps the trigger under Cognito's 5 s.
 */
import {
  AdminAddUserToGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { toEnvironment } from '../../../lambdas/shared/config';
import { logger } from '../../../lambdas/shared/logger';
import { defaultSettings } from '../../../lambdas/shared/settings';
import type * as PostConfirmation from '../../../lambdas/triggers/post-confirmation/handler';
import type { PostConfirmationHook } from '../../../lambdas/triggers/post-confirmation/hooks';

Object.assign(process.env, { POWERTOOLS_DEV: 'true', POWERTOOLS_LOG_LEVEL: 'CRITICAL' });

const env = toEnvironment('postConfirmation', defaultSettings, { eventBusName: 'audit-bus' });
const cognito = mockClient(CognitoIdentityProviderClient);
const events = mockClient(EventBridgeClient);
type Handler = (event: PostConfirmationTriggerEvent) => Promise<PostConfirmationTriggerEvent>;
type Module = typeof PostConfirmation;
let module: Module;

beforeAll(async () => {
  module = await import('../../../lambdas/triggers/post-confirmation/handler');
});

beforeEach(() => {
  cognito.reset();
  events.reset();
  cognito.on(AdminAddUserToGroupCommand).resolves({});
  cognito.on(AdminUserGlobalSignOutCommand).resolves({});
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
});

afterEach(() => {
  jest.restoreAllMocks();
});

const event = (triggerSource: string, sub = 'a1b2-uuid'): PostConfirmationTriggerEvent =>
  ({
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_Pool',
    userName: sub,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client-1' },
    triggerSource,
    request: { userAttributes: { sub, email: 'jane@example.com' } },
    response: {},
  }) as PostConfirmationTriggerEvent;

const eventIds = () =>
  events
    .commandCalls(PutEventsCommand)
    .map((call) => JSON.parse(call.args[0].input.Entries?.[0]?.Detail ?? '{}').eventId as string);

/** A clock the test moves by hand. */
const clockAt = (start: number) => {
  const clock = { t: start, now: () => clock.t };
  return clock;
};

describe('the same confirmation twice', () => {
  it.each(['PostConfirmation_ConfirmSignUp', 'PostConfirmation_ConfirmForgotPassword'])(
    '%s: one audit event, and the repeated Cognito call is the idempotent one',
    async (source) => {
      const clock = clockAt(Date.UTC(2026, 10, 30, 12, 0, 0));
      const handler = module.createWith(env, { now: clock.now }) as unknown as Handler;
      await handler(event(source));
      clock.t += 4_000; // Cognito's next attempt, after its 5 s wait at most
      await handler(event(source));
      expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 1);
      expect(eventIds()[0]).toMatch(/^[0-9a-f]{32}$/);
      // Both calls change nothing the second time (a member stays a member; no session is left).
      const calls = source.endsWith('SignUp')
        ? cognito.commandCalls(AdminAddUserToGroupCommand)
        : cognito.commandCalls(AdminUserGlobalSignOutCommand);
      expect(calls).toHaveLength(2);
    },
  );

  it('keeps one id across a time-bucket edge within the window on one instance', async () => {
    const clock = clockAt(Date.UTC(2026, 10, 30, 12, 0, 59, 0) + 500);
    const handler = module.createWith(env, { now: clock.now }) as unknown as Handler;
    await handler(event('PostConfirmation_ConfirmSignUp'));
    clock.t += 1_000; // the next minute's bucket
    await handler(event('PostConfirmation_ConfirmSignUp'));
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  it('gives a retry that lands on another instance the same eventId, for consumers to deduplicate on', async () => {
    const now = () => Date.UTC(2026, 10, 30, 12, 0, 10);
    await (module.createWith(env, { now }) as unknown as Handler)(event('PostConfirmation_ConfirmSignUp'));
    await (module.createWith(env, { now }) as unknown as Handler)(event('PostConfirmation_ConfirmSignUp'));
    const [first, second] = eventIds();
    expect(first).toBeDefined();
    expect(second).toBe(first);
  });

  it('publishes again when the first publication failed', async () => {
    const clock = clockAt(Date.UTC(2026, 10, 30, 12, 0, 0));
    const handler = module.createWith(env, { now: clock.now }) as unknown as Handler;
    events.on(PutEventsCommand).rejectsOnce(new Error('eventbridge down'));
    await handler(event('PostConfirmation_ConfirmSignUp'));
    await handler(event('PostConfirmation_ConfirmSignUp'));
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    const [first, second] = eventIds();
    expect(second).toBe(first);
  });

  it('treats another user, another source or a confirmation after the window as new', async () => {
    const clock = clockAt(Date.UTC(2026, 10, 30, 12, 0, 0));
    const handler = module.createWith(env, { now: clock.now }) as unknown as Handler;
    await handler(event('PostConfirmation_ConfirmForgotPassword'));
    await handler(event('PostConfirmation_ConfirmForgotPassword', 'someone-else'));
    await handler(event('PostConfirmation_ConfirmSignUp'));
    clock.t += module.DEDUP_WINDOW_MS;
    await handler(event('PostConfirmation_ConfirmForgotPassword'));
    expect(new Set(eventIds()).size).toBe(4);
  });
});

describe('hooks', () => {
  const stuck = (seen: { signal?: AbortSignal }): PostConfirmationHook => ({
    name: 'stuck-crm-call',
    run: (_context, signal) => {
      seen.signal = signal;
      return new Promise<void>(() => undefined); // never settles
    },
  });

  it('cuts off a slow hook and logs it; the trigger still answers', async () => {
    const warn = jest.spyOn(logger, 'warn');
    const seen: { signal?: AbortSignal } = {};
    const handler = module.createWith(env, { hooks: [stuck(seen)], hookBudgetMs: 50 }) as unknown as Handler;
    const input = event('PostConfirmation_ConfirmSignUp');
    await expect(handler(input)).resolves.toBe(input);
    expect(warn).toHaveBeenCalledWith(
      'post-confirmation hook cut off by the time budget',
      expect.objectContaining({ hook: 'stuck-crm-call' }),
    );
    expect(seen.signal?.aborted).toBe(true);
    expect(cognito).toHaveReceivedCommandTimes(AdminAddUserToGroupCommand, 1);
  });

  it('runs each hook with the confirmation id; a failing hook is logged and never fails the trigger', async () => {
    const error = jest.spyOn(logger, 'error');
    const contexts: unknown[] = [];
    const handler = module.createWith(env, {
      hooks: [
        { name: 'records', run: async (context) => void contexts.push(context) },
        { name: 'broken', run: () => Promise.reject(new TypeError('bad')) },
      ],
    }) as unknown as Handler;
    await expect(handler(event('PostConfirmation_ConfirmSignUp'))).resolves.toBeDefined();
    expect(contexts).toEqual([
      expect.objectContaining({ eventId: eventIds()[0], detailType: 'UserConfirmed', sub: 'a1b2-uuid' }),
    ]);
    expect(error).toHaveBeenCalledWith('post-confirmation hook failed', { hook: 'broken', errorName: 'TypeError' });
  });
});
