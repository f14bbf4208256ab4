import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { BffApi } from './constructs/bff-api';
import { Identity } from './constructs/identity';
import { Operations } from './constructs/operations';
import { RateLimitWaf } from './constructs/rate-limit-waf';
import { Triggers } from './constructs/triggers';
import { type Settings, defaultSettings, validateSettings } from '../lambdas/shared/settings';
import { routeList } from '../lambdas/routes';

export interface PasswordBffStackProps extends StackProps {
  /**
   * Product settings: origins, redirect allowlist, locales, groups, policy, throttling, removal
   * policy, email, WAF and threat protection (the `bff:*` context keys).
   * @default defaultSettings
   */
  readonly settings?: Settings;
  /**
   * Audit event bus: `'stack'` creates one, `'default'` uses the account's default bus.
   * @default 'stack'
   */
  readonly eventBus?: 'stack' | 'default';
}

/** The stack only composes: identity, triggers, BFF API, optional WAF. */
export class PasswordBffStack extends Stack {
  readonly identity: Identity;
  readonly api: BffApi;
  readonly triggers: Triggers;
  readonly eventBus: IEventBus;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: PasswordBffStackProps = {}) {
    super(scope, id, props);
    const settings = props.settings ?? defaultSettings;
    validateSettings(settings);
    const retain = settings.removalPolicy === 'retain';

    this.identity = new Identity(this, 'Identity', {
      passwordPolicy: settings.passwordPolicy,
      client: settings.client,
      adminGroupName: settings.adminGroupName,
      defaultGroupName: settings.defaultGroupName,
      retain,
      featurePlan: settings.featurePlan,
      threatProtection: settings.threatProtection,
      ...(settings.email ? { email: settings.email } : {}),
      sourceMaps: settings.sourceMaps,
    });
    this.eventBus =
      props.eventBus === 'default'
        ? EventBus.fromEventBusName(this, 'DefaultBus', 'default')
        : new EventBus(this, 'AuditBus', { eventBusName: `${id}-audit` });
    this.triggers = new Triggers(this, 'Triggers', {
      userPool: this.identity.userPool,
      settings,
      eventBus: this.eventBus,
      attach: !settings.importUserPool,
      retain,
    });
    this.api = new BffApi(this, 'Api', {
      userPool: this.identity.userPool,
      userPoolClient: this.identity.client,
      clientSecret: this.identity.clientSecret.secret,
      settings,
    });
    const waf = settings.enableWaf
      ? new RateLimitWaf(this, 'Waf', {
          stageArn: this.api.stageArn,
          routes: routeList,
          limitPer5Minutes: settings.wafLimitPer5Minutes,
          mailLimitPer5Minutes: settings.wafMailLimitPer5Minutes,
          signInLimitPer5Minutes: settings.wafSignInLimitPer5Minutes,
        })
      : undefined;
    this.operations = new Operations(this, 'Operations', {
      api: this.api.api,
      accessLogs: this.api.node.findChild('AccessLogs') as LogGroup,
      functions: {
        ...Object.fromEntries(Object.entries(this.api.functions)),
        customMessage: this.triggers.customMessage,
        postConfirmation: this.triggers.postConfirmation,
      },
      userPool: this.identity.userPool,
      userPoolClient: this.identity.client,
      alarms: settings.alarms,
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
      ...(waf ? { webAcl: waf.webAcl } : {}),
    });
    this.addOutputs(settings);
    this.acknowledgeNagFindings(settings);
  }

  /** What a frontend and an operator need after `cdk deploy`, printed by the CLI. */
  private addOutputs(settings: Settings): void {
    const outputs: [string, string, string][] = [
      ['ApiUrl', this.api.api.url, "The BFF's base URL: the typed client's baseUrl."],
      ['UserPoolId', this.identity.userPool.userPoolId, 'The Cognito user pool.'],
      ['UserPoolClientId', this.identity.client.userPoolClientId, "The BFF's confidential app client."],
      ['Region', this.region, 'The region of the pool and the API.'],
      [
        'ClientSecretArn',
        this.identity.clientSecret.secret.secretArn,
        "The Secrets Manager secret that holds the app client's secret: `npm run secret -- rotate` rotates it.",
      ],
      [
        'ClientSecretMaxAgeSeconds',
        String(settings.clientSecretMaxAgeSeconds),
        'How long a function keeps the client secret (bff:clientSecretMaxAgeSeconds); a rotation waits longer.',
      ],
      [
        'AdminGroupName',
        this.identity.adminGroup.groupName,
        'The group the admin routes require: `npm run admin -- add <email>` invites a first admin into it.',
      ],
      ['DashboardUrl', this.operations.dashboardUrl, 'The operations dashboard (README, Runbook).'],
      ['AlarmTopicArn', this.operations.topic.topicArn, 'Every alarm notifies this SNS topic: subscribe to it.'],
    ];
    for (const [id, value, description] of outputs) new CfnOutput(this, id, { value, description });
  }

  /** Each cdk-nag finding we accept, on the resource it concerns, with the reason. */
  private acknowledgeNagFindings(settings: Settings): void {
    const ack = (scope: Construct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });
    const pool = this.identity.userPool;
    ack(
      pool,
      'AwsSolutions-COG2',
      'MFA is outside this product (passwords and account self-service); turn it on in the pool if your users need it.',
    );
    if (!settings.threatProtection) {
      ack(
        pool,
        'AwsSolutions-COG3',
        'Threat protection needs the paid Plus feature plan; the bff:threatProtection setting turns it on.',
      );
      ack(
        pool,
        'AwsSolutions-COG8',
        'The Plus feature plan is opt-in (bff:featurePlan plus with bff:threatProtection); Essentials is the default.',
      );
    }
    for (const method of this.api.publicMethods) {
      const reason =
        'Public by design: sign-up, sign-in, refresh and password recovery happen before the caller has a token.';
      ack(method, 'AwsSolutions-APIG4', reason);
      ack(method, 'AwsSolutions-COG4', reason);
    }
    ack(
      this.api.api,
      'AwsSolutions-APIG2',
      'Every body is validated in the function by the route table zod schemas, which answer problem+json; ' +
        'gateway models would duplicate them with another error shape.',
    );
    if (!settings.enableWaf)
      ack(
        this.api.api,
        'AwsSolutions-APIG3',
        'The WAF was turned off (bff:enableWaf false); stage and per-route throttling still apply.',
      );
    if (settings.apiGatewayAccountRole)
      ack(
        this.api.api,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/' +
          'AmazonAPIGatewayPushToCloudWatchLogs]',
        'The AWS-managed role API Gateway needs to write execution logs (bff:apiGatewayAccountRole).',
      );
    const functions = [
      ...Object.values(this.api.functions),
      this.triggers.customMessage,
      this.triggers.postConfirmation,
    ];
    for (const fn of functions) {
      ack(
        fn,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "Only allows writing to the function's own log group.",
      );
      ack(
        fn,
        'AwsSolutions-IAM5[Resource::*]',
        'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) exists only on resource "*".',
      );
    }
  }
}
