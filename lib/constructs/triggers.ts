import { CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type UserPool, UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { toEnvironment } from '../../lambdas/shared/config';
import type { Settings } from '../../lambdas/shared/settings';
import { writeLocaleIndex } from '../../lambdas/triggers/custom-message/locales/generate';
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
  /**
   * Name the functions as the pool's triggers. Off only to synthesize the pool for `cdk import`
   * (no reference from the pool to a resource that is not imported with it).
   * @default true
   */
  readonly attach?: boolean;
  /**
   * Keep the functions (with their roles, policies, log groups and Cognito's permission to invoke
   * them) when the stack is deleted, as long as the kept pool names them as its triggers.
   * @default true
   */
  readonly retain?: boolean;
}

/** CustomMessage and PostConfirmation, wired to the pool, each with exactly the rights it needs. */
export class Triggers extends Construct {
  readonly customMessage: BffFunction;
  readonly postConfirmation: BffFunction;

  constructor(scope: Construct, id: string, props: TriggersProps) {
    super(scope, id);
    // Triggers read no pool or client id: Cognito puts the pool in every event.
    const ids = { eventBusName: props.eventBus.eventBusName };
    // The bundle holds the locale files that one generated import list names: write it from the
    // files as they are now (a new locale is one file), before esbuild runs.
    writeLocaleIndex();
    this.customMessage = new BffFunction(this, 'CustomMessage', {
      entry: 'lambdas/triggers/custom-message/handler.ts',
      description: 'Cognito CustomMessage: localized messages with allowlisted links',
      timeout: Duration.seconds(5),
      environment: toEnvironment('customMessage', props.settings, ids),
      sourceMaps: props.settings.sourceMaps,
    });
    this.postConfirmation = new BffFunction(this, 'PostConfirmation', {
      entry: 'lambdas/triggers/post-confirmation/handler.ts',
      description: 'Cognito PostConfirmation: default group, sign-out after reset, audit events',
      timeout: Duration.seconds(5),
      environment: toEnvironment('postConfirmation', props.settings, ids),
      sourceMaps: props.settings.sourceMaps,
    });
    if (props.attach ?? true) {
      props.userPool.addTrigger(UserPoolOperation.CUSTOM_MESSAGE, this.customMessage.function);
      props.userPool.addTrigger(UserPoolOperation.POST_CONFIRMATION, this.postConfirmation.function);
    }
    this.grantPostConfirmation(props);
    if (props.retain ?? true) this.retainWithPool(props.userPool);
  }

  /**
   * A kept pool still names its triggers: deleting them would break every flow that sends a code
   * or confirms. So everything a trigger needs to run stays with the pool: the functions, their
   * roles, policies and log groups here, and Cognito's permission to invoke them (made in the
   * pool's scope by addTrigger).
   */
  private retainWithPool(userPool: UserPool): void {
    const permissions = userPool.node
      .findAll()
      .filter((c): c is CfnPermission => c instanceof CfnPermission && c.principal === 'cognito-idp.amazonaws.com');
    for (const construct of [...this.node.findAll(), ...permissions]) {
      if (construct instanceof CfnResource) construct.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
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
