/**
 * Your own synchronous actions after a confirmation: add them to {@link hooks}. Each runs once
 * per invocation, concurrently with the built-in actions, and is cut off (its signal aborted,
 * a warning logged) when the trigger's time budget runs out, so the trigger always answers
 * inside Cognito's 5 s. A hook's failure is logged and never fails the confirmation.
 *
 * Cognito calls a trigger again when it does not answer in time (up to three attempts,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html),
 * so a hook must be safe to repeat: key its effect on `context.eventId`.
 *
 * For anything asynchronous, prefer the audit events on EventBridge
 * (lib/constructs/audit-subscriber-example.ts): no time budget, retries and a dead-letter queue.
 */
import type { PostConfirmationTriggerEvent } from 'aws-lambda';

export interface HookContext {
  /** The confirmation's stable id, the same on every retry of it (also the audit event's `eventId`). */
  readonly eventId: string;
  /** `UserConfirmed` or `PasswordResetCompleted`. */
  readonly detailType: string;
  readonly userPoolId: string;
  readonly sub: string;
  readonly triggerSource: PostConfirmationTriggerEvent['triggerSource'];
}

export interface PostConfirmationHook {
  /** Shown in the logs (never the event). */
  readonly name: string;
  /** Stop when `signal` aborts: the trigger has answered Cognito without you. */
  readonly run: (context: HookContext, signal: AbortSignal) => Promise<void>;
}

/** The hooks the deployed function runs. Empty by default. */
export const hooks: readonly PostConfirmationHook[] = [];
