import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { METRICS, METRICS_NAMESPACE, METRICS_SERVICE, type MetricName } from '../../lambdas/shared/metrics';
import type { AlarmSettings } from '../../lambdas/shared/settings';
import type { BffFunction } from './bff-function';

/** The one metric the stack derives from the API's access log: requests answered 429, wherever they came from. */
export const ANSWERED_429 = 'Answered429';

export interface OperationsProps {
  readonly api: RestApi;
  /** The API's access log group (JSON lines with `status`). */
  readonly accessLogs: ILogGroup;
  /** Every function of the product, by name (the routes' and the triggers'). */
  readonly functions: Readonly<Record<string, BffFunction>>;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  readonly alarms: AlarmSettings;
  /** @default - no subscription */
  readonly alarmEmail?: string;
  /** The WAF's web ACL, when there is one. */
  readonly webAcl?: CfnWebACL;
}

/** An alarm of the product: its construct id is also its README "Runbook" entry. */
export interface AlarmEntry {
  readonly id: string;
  readonly alarm: Alarm;
}

/**
 * Operations: the product's metrics (lambdas/shared/metrics.ts) and AWS's for the API, the functions, Cognito and
 * the WAF on one dashboard; an alarm per failure an operator must act on, all to one encrypted SNS topic.
 */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: AlarmEntry[] = [];
  /** The namespace the functions write to: one per stack, so that two stacks in an account stay apart. */
  readonly namespace: string;
  private readonly period: Duration;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.namespace = `${METRICS_NAMESPACE}/${stack.stackName}`;
    this.period = Duration.minutes(props.alarms.periodMinutes);
    for (const fn of Object.values(props.functions)) {
      fn.function.addEnvironment('POWERTOOLS_METRICS_NAMESPACE', this.namespace);
    }

    // CloudWatch publishes to an encrypted topic only with a customer managed key that lets it use the key.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
    const key = new Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts the password BFF alarm topic',
      // No user data: it goes with the stack (KMS's default keeps it; retention keeps only what users own).
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const t = props.alarms;
    const requests = props.api.metricCount({ period: this.period, statistic: 'Sum' });
    const answered429 = new MetricFilter(this, 'Answered429Filter', {
      logGroup: props.accessLogs,
      metricNamespace: this.namespace,
      metricName: ANSWERED_429,
      filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
      metricValue: '1',
      defaultValue: 0,
    }).metric({ period: this.period, statistic: 'Sum' });
    const serverErrorRate = props.api.metricServerError({ period: this.period, statistic: 'Average' });
    const throttledRate = new MathExpression({
      expression: 'IF(requests > 0, answered429 / requests, 0)',
      usingMetrics: { requests, answered429 },
      period: this.period,
      label: 'share of requests answered 429',
    });
    this.alarm('ServerErrorRate', serverErrorRate, t.serverErrorRate, 'Share of API requests answered 5xx');
    this.alarm('ThrottledRate', throttledRate, t.throttledRate, 'Share of API requests answered 429');
    for (const [name, fn] of Object.entries(props.functions)) {
      const errors = new MathExpression({
        expression: 'errors + throttles',
        usingMetrics: {
          errors: fn.function.metricErrors({ period: this.period, statistic: 'Sum' }),
          throttles: fn.function.metricThrottles({ period: this.period, statistic: 'Sum' }),
        },
        period: this.period,
        label: `${name}: errors + throttles`,
      });
      this.alarm(`FunctionErrors-${name}`, errors, t.functionErrors, `Errors plus throttles of the ${name} function`);
    }
    const triggerTrouble = new MathExpression({
      expression: 'failures + fallbacks + notices',
      usingMetrics: {
        failures: this.product('TriggerFailures'),
        fallbacks: this.product('MessageFallbacks'),
        // The BFF's own mail (SES notices): a failure there is a mail a user should have had, as a trigger's.
        notices: this.product('NoticeFailures'),
      },
      period: this.period,
      label: 'trigger failures + fallback messages + failed notices',
    });
    this.alarm(
      'TriggerFailures',
      triggerTrouble,
      t.triggerFailures,
      'Trigger failures plus default messages sent plus failed notices (SES)',
    );
    this.alarm(
      'EmailLimitReached',
      this.product('EmailLimitReached'),
      t.emailLimit,
      "Mail refused: Cognito's built-in email reached its daily cap",
    );
    this.alarm(
      'SecretHashFailures',
      this.product('SecretHashFailures'),
      t.secretHash,
      'Cognito refused the app client secret: misconfiguration',
    );
    const wafBlocked = props.webAcl && this.wafBlocked(props.webAcl);
    if (wafBlocked) this.alarm('WafBlocked', wafBlocked, t.wafBlocked, 'Requests the WAF blocked');

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-operations`,
      defaultInterval: Duration.hours(6),
    });
    this.addWidgets(props, { requests, serverErrorRate, throttledRate, wafBlocked });
  }

  /** A product metric of the table, summed over the stack (the `service` series alarms can read). */
  product(name: MetricName): Metric {
    return new Metric({
      namespace: this.namespace,
      metricName: name,
      dimensionsMap: { service: METRICS_SERVICE },
      statistic: 'Sum',
      period: this.period,
    });
  }

  /** A dashboard search over a product metric's own dimensions (a line per route, outcome...). */
  private breakdown(name: MetricName): MathExpression {
    const dimensions = ['service', ...METRICS[name].dimensions].join(',');
    return new MathExpression({
      expression: `SEARCH('{${this.namespace},${dimensions}} MetricName="${name}"', 'Sum', ${this.period.toSeconds()})`,
      usingMetrics: {},
      label: '',
      period: this.period,
    });
  }

  private wafBlocked(webAcl: CfnWebACL): Metric {
    // A web ACL's Ref is "name|id|scope"; WAF's metrics are by name, Region and rule (ALL: every rule).
    // https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
    return new Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: Fn.select(0, Fn.split('|', webAcl.ref)), Region: Stack.of(this).region, Rule: 'ALL' },
      statistic: 'Sum',
      period: this.period,
    });
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `${description} reached ${threshold} in ${this.period.toMinutes()} min. README, Runbook: ${
        id.startsWith('FunctionErrors-') ? 'FunctionErrors' : id
      }.`,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push({ id, alarm });
  }

  private addWidgets(
    props: OperationsProps,
    figures: { requests: IMetric; serverErrorRate: IMetric; throttledRate: IMetric; wafBlocked?: IMetric | undefined },
  ): void {
    const graph = (title: string, left: IMetric[], width = 12) => new GraphWidget({ title, left, width, height: 6 });
    const cognito = (metricName: string) =>
      new Metric({
        namespace: 'AWS/Cognito',
        metricName,
        dimensionsMap: { UserPool: props.userPool.userPoolId, UserPoolClient: props.userPoolClient.userPoolClientId },
        statistic: 'Sum',
        period: this.period,
      });
    const fns = Object.entries(props.functions);
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: '## Password BFF operations\nEach alarm is explained in the README, section "Runbook".',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('API requests', [figures.requests], 8),
      graph('Share answered 5xx', [figures.serverErrorRate], 8),
      graph('Share answered 429', [figures.throttledRate], 8),
    );
    this.dashboard.addWidgets(graph('Answers by route and outcome (Requests)', [this.breakdown('Requests')], 24));
    this.dashboard.addWidgets(
      graph('Cognito throttles and upstream errors', [this.product('CognitoThrottles'), this.product('CognitoErrors')]),
      graph('SecretHash failures and email cap', [
        this.product('SecretHashFailures'),
        this.product('EmailLimitReached'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Mails sent by trigger source (MessagesSent)', [this.breakdown('MessagesSent')]),
      graph('Trigger failures, fallbacks and failed notices', [
        this.product('TriggerFailures'),
        this.product('MessageFallbacks'),
        this.product('NoticeFailures'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('PostConfirmation actions', [this.breakdown('PostConfirmationActions')]),
      graph('Cognito (AWS/Cognito)', [
        cognito('SignInSuccesses'),
        cognito('SignInThrottles'),
        cognito('SignUpThrottles'),
        cognito('TokenRefreshThrottles'),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Function errors',
        fns.map(([name, fn]) => fn.function.metricErrors({ label: name, period: this.period, statistic: 'Sum' })),
      ),
      graph(
        'Function throttles',
        fns.map(([name, fn]) => fn.function.metricThrottles({ label: name, period: this.period, statistic: 'Sum' })),
      ),
    );
    if (figures.wafBlocked) this.dashboard.addWidgets(graph('WAF blocked requests', [figures.wafBlocked], 24));
  }

  /** The console address of the dashboard. */
  get dashboardUrl(): string {
    const region = Stack.of(this).region;
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${this.dashboard.dashboardName}`;
  }
}
