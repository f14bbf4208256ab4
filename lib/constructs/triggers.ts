import { Duration } from 'aws-cdk-lib';
import { type UserPool, UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { toEnvironment } from '../../lambdas/shared/config';
import type { Settings } from '../../lambdas/shared/settings';
import { BffFunction } from './bff-function';

export interface TriggersProps {
  /**
   * The pool the triggers are attached to. A `UserPool`, not an `IUserPool`: only a pool
   * defined in this app can take triggers (`addTrigger`).
   */
  readonly userPool: UserPool;
  /** The product settings: locales, app name, redirect allowlist, groups, audit options. */
  readonly settings: Settings;
  /** Where the PostConfirmation audit events go. */
  readonly eventBus: IEventBus;
}

/** CustomMessage and PostConfirmation, wired to the pool, each with exactly the rights it needs. */
export class Triggers extends Construct {
  readonly customMessage: BffFunction;
  readonly postConfirmation: BffFunction;

  constructor(scope: Construct, id: string, props: TriggersProps) {
    super(scope, id);
    // Triggers read no pool or client id: Cognito puts the pool in every event.
    const ids = { eventBusName: props.eventBus.eventBusName };
    this.customMessage = new BffFunction(this, 'CustomMessage', {
      entry: 'lambdas/triggers/custom-message/handler.ts',
      description: 'Cognito CustomMessage: localized messages with allowlisted links',
      timeout: Duration.seconds(5),
      environment: toEnvironment('customMessage', props.settings, ids),
    });
    this.postConfirmation = new BffFunction(this, 'PostConfirmation', {
      entry: 'lambdas/triggers/post-confirmation/handler.ts',
      description: 'Cognito PostConfirmation: default group, sign-out after reset, audit events',
      timeout: Duration.seconds(5),
      environment: toEnvironment('postConfirmation', props.settings, ids),
    });
    props.userPool.addTrigger(UserPoolOperation.CUSTOM_MESSAGE, this.customMessage.function);
    props.userPool.addTrigger(UserPoolOperation.POST_CONFIRMATION, this.postConfirmation.function);
    this.grantPostConfirmation(props);
  }

  /**
   * A grant through the function's default policy would make the pool depend on the function,
   * the function on its policy and the policy on the pool: a cycle. A separate Policy attached
   * to the role breaks it (the function does not wait for it), and still names this pool only.
   */
  private grantPostConfirmation(props: TriggersProps): void {
    const role = this.postConfirmation.function.role;
    if (!role) throw new Error('post-confirmation function has no role');
    new Policy(this, 'PostConfirmationPoolAccess', {
      roles: [role],
      statements: [
        new PolicyStatement({
          actions: ['cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminUserGlobalSignOut'],
          resources: [props.userPool.userPoolArn],
        }),
      ],
    });
    props.eventBus.grantPutEventsTo(this.postConfirmation.function);
  }
}
