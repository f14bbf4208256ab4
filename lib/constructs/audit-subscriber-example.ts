/**
 * An example of the asynchronous extension point: your own action after a confirmation,
 * subscribed to the PostConfirmation audit events on EventBridge. Not part of the product
 * stack: copy it into your app, point it at `PasswordBffStack.eventBus` and replace the queue
 * with your target (a Lambda function, a Step Functions state machine, an API destination).
 *
 * EventBridge delivers at least once, and Cognito may run PostConfirmation more than once for
 * one confirmation: deduplicate on `detail.eventId` (README, "Customise messages and confirmation").
 */
import { Duration } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The audit events' detail types (lambdas/triggers/post-confirmation/handler.ts). */
export type AuditDetailType = 'UserConfirmed' | 'PasswordResetCompleted';

export interface AuditSubscriberExampleProps {
  /** The bus the audit events go to (`PasswordBffStack.eventBus`). */
  readonly eventBus: IEventBus;
  /** `bff:eventSource`. @default 'password-bff' */
  readonly eventSource?: string;
  /** @default both */
  readonly detailTypes?: readonly AuditDetailType[];
}

/** A rule for the audit events into a queue, with a dead-letter queue for what cannot be delivered. */
export class AuditSubscriberExample extends Construct {
  readonly rule: Rule;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: AuditSubscriberExampleProps) {
    super(scope, id);
    const secure = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true };
    this.deadLetterQueue = new Queue(this, 'DeadLetters', { ...secure, retentionPeriod: Duration.days(14) });
    this.queue = new Queue(this, 'Events', {
      ...secure,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });
    this.rule = new Rule(this, 'Rule', {
      eventBus: props.eventBus,
      description: 'PostConfirmation audit events to your own action',
      eventPattern: {
        source: [props.eventSource ?? 'password-bff'],
        detailType: [...(props.detailTypes ?? ['UserConfirmed', 'PasswordResetCompleted'])],
      },
      targets: [new SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 8 })],
    });
  }
}
