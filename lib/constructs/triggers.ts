import { Duration } from 'aws-cdk-lib';
import { UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { Settings } from '../settings';
import { BffFunction } from './function-defaults';
import type { Identity } from './identity';

export interface TriggersProps {
  readonly identity: Identity;
  readonly settings: Settings;
  /** Where the PostConfirmation audit events go. */
  readonly eventBus: IEventBus;
  /** Product name in messages. @default 'our service' */
  readonly appName?: string;
}

/** CustomMessage and PostConfirmation, wired to the pool, each with exactly the rights it needs. */
export class Triggers extends Construct {
  readonly customMessage: BffFunction;
  readonly postConfirmation: BffFunction;

  constructor(scope: Construct, id: string, props: TriggersProps) {
    super(scope, id);
    const s = props.settings;
    const shared = {
      REDIRECT_ALLOWLIST: s.redirectAllowlist.join(','),
      CLIENT_METADATA_KEYS: s.clientMetadataKeys.join(','),
    };
    this.customMessage = new BffFunction(this, 'CustomMessage', {
      entry: 'lambdas/triggers/custom-message/handler.ts',
      description: 'Cognito CustomMessage: localized messages with allowlisted links',
      timeout: Duration.seconds(5),
      environment: {
        ...shared,
        LOCALES: s.locales.join(','),
        DEFAULT_LOCALE: s.defaultLocale,
        APP_NAME: props.appName ?? 'our service',
      },
    });
    this.postConfirmation = new BffFunction(this, 'PostConfirmation', {
      entry: 'lambdas/triggers/post-confirmation/handler.ts',
      description: 'Cognito PostConfirmation: default group, sign-out after reset, audit events',
      timeout: Duration.seconds(5),
      environment: {
        ...shared,
        DEFAULT_GROUP: s.defaultGroupName,
        SIGN_OUT_ON_PASSWORD_RESET: String(s.signOutOnPasswordReset),
        EVENT_BUS_NAME: props.eventBus.eventBusName,
        EVENT_SOURCE: s.eventSource,
      },
    });

    const pool = props.identity.userPool;
    pool.addTrigger(UserPoolOperation.CUSTOM_MESSAGE, this.customMessage.function);
    pool.addTrigger(UserPoolOperation.POST_CONFIRMATION, this.postConfirmation.function);

    // A grant through the function's default policy would make the pool depend on the function,
    // the function on its policy and the policy on the pool: a cycle. A separate Policy attached
    // to the role breaks it (the function does not wait for it), and still names this pool only.
    const role = this.postConfirmation.function.role;
    if (!role) throw new Error('post-confirmation function has no role');
    new Policy(this, 'PostConfirmationPoolAccess', {
      roles: [role],
      statements: [
        new PolicyStatement({
          actions: ['cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminUserGlobalSignOut'],
          resources: [pool.userPoolArn],
        }),
      ],
    });
    props.eventBus.grantPutEventsTo(this.postConfirmation.function);
  }
}
