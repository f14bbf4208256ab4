/**
 * Operations (lib/constructs/operations.ts): one encrypted alarm topic, the alarms with the thresholds of the
 * settings, a dashboard that reads exactly the metrics the functions write (one table: lambdas/shared/metrics.ts),
 * and an output that links to it.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { routeList } from '../../lambdas/routes';
import { METRICS, METRICS_NAMESPACE } from '../../lambdas/shared/metrics';
import { defaultSettings, settingsFromContext } from '../../lambdas/shared/settings';
import { PasswordBffStack } from '../../lib/password-bff-stack';
import { ANSWERED_429 } from '../../lib/constructs/operations';

const noBundling = { 'aws:cdk:bundling-stacks': [] };
const synth = (settings = defaultSettings) =>
  Template.fromStack(new PasswordBffStack(new App({ context: noBundling }), 'Ops', { settings }));

let template: Template;
let custom: Template;
beforeAll(() => {
  // The WAF is on by default: this stack opts out, to show that its alarm exists only with it.
  template = synth(settingsFromContext({ 'bff:enableWaf': 'false' }));
  custom = synth(
    settingsFromContext({
      'bff:enableWaf': 'true',
      'bff:alarmEmail': 'oncall@example.com',
      'bff:alarms': '{"serverErrorRate":0.2,"wafBlocked":250,"periodMinutes":10}',
    }),
  );
});

type Alarm = { Properties: Record<string, any> };
const alarms = (t: Template) => Object.values(t.findResources('AWS::CloudWatch::Alarm')) as Alarm[];
const described = (t: Template, words: string) =>
  alarms(t).filter((a) => a.Properties.AlarmDescription.includes(words));

/** The dashboard's body with its tokens flattened to text. */
function dashboardBody(t: Template): string {
  const [dashboard] = Object.values(t.findResources('AWS::CloudWatch::Dashboard'));
  const flatten = (value: unknown): string => {
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.map(flatten).join('');
    if (value && typeof value === 'object' && 'Fn::Join' in value) {
      return flatten((value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]);
    }
    return '<token>';
  };
  return flatten(dashboard?.Properties.DashboardBody);
}

describe('alarm topic', () => {
  it('is one SNS topic, encrypted with a rotating key CloudWatch may use, and refuses plain HTTP', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('mails bff:alarmEmail when set, and nobody by default', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    custom.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  it('is where every alarm goes', () => {
    const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
    for (const alarm of alarms(template)) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
  });
});

describe('alarms', () => {
  it('cover the API, every function, the triggers, the email cap and the client secret', () => {
    const functions = routeList.length + 2;
    expect(alarms(template)).toHaveLength(functions + 5);
    expect(alarms(custom)).toHaveLength(functions + 6);
    expect(described(template, 'Errors plus throttles of the')).toHaveLength(functions);
    for (const words of ['answered 5xx', 'answered 429', 'Trigger failures', 'daily cap', 'app client secret']) {
      expect(described(template, words)).toHaveLength(1);
    }
    // The WAF alarm exists only with the WAF.
    expect(described(template, 'WAF blocked')).toHaveLength(0);
    expect(described(custom, 'WAF blocked')).toHaveLength(1);
  });

  it('take their thresholds and period from bff:alarms', () => {
    const threshold = (t: Template, words: string) => described(t, words)[0]?.Properties.Threshold;
    expect(threshold(template, 'answered 5xx')).toBe(defaultSettings.alarms.serverErrorRate);
    expect(threshold(custom, 'answered 5xx')).toBe(0.2);
    expect(threshold(custom, 'WAF blocked')).toBe(250);
    expect(described(template, 'answered 5xx')[0]?.Properties.Period).toBe(300);
    expect(described(custom, 'answered 5xx')[0]?.Properties.Period).toBe(600);
  });

  it('read the product metrics the functions write, in the namespace the functions are given', () => {
    const namespace = `${METRICS_NAMESPACE}/Ops`;
    const metricOf = (words: string) => {
      const alarm = described(template, words)[0]?.Properties;
      return alarm?.MetricName ? [alarm] : alarm?.Metrics.map((m: any) => m.MetricStat?.Metric).filter(Boolean);
    };
    expect(metricOf('app client secret')).toEqual([
      expect.objectContaining({
        Namespace: namespace,
        MetricName: 'SecretHashFailures',
        Dimensions: [{ Name: 'service', Value: 'password-bff' }],
      }),
    ]);
    expect(metricOf('daily cap')[0]).toMatchObject({ Namespace: namespace, MetricName: 'EmailLimitReached' });
    expect(metricOf('Trigger failures').map((m: any) => m.MetricName)).toEqual([
      'TriggerFailures',
      'MessageFallbacks',
      'NoticeFailures',
    ]);
    expect(
      metricOf('answered 429')
        .map((m: any) => m.MetricName)
        .sort(),
    ).toEqual([ANSWERED_429, 'Count']);
    // Every route function and trigger; not the client secret's installer (a custom resource, no product metrics).
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([id]) => !id.startsWith('IdentityClientSecretInstaller'))
      .map(([, fn]) => fn);
    expect(functions.length).toBe(routeList.length + 2);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe(namespace);
    }
  });

  it("counts the access log's 429s, whoever answered them", () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [Match.objectLike({ MetricName: ANSWERED_429, MetricValue: '1', DefaultValue: 0 })],
    });
  });
});

describe('dashboard', () => {
  it('shows every metric of the table and no product metric outside it', () => {
    const body = dashboardBody(template);
    const named = new Set(
      [...body.matchAll(/"(PasswordBff\/Ops)","([A-Za-z0-9]+)"|MetricName=\\"([A-Za-z0-9]+)\\"/g)].map(
        (m) => m[2] ?? m[3],
      ),
    );
    named.delete(ANSWERED_429);
    expect([...named].sort()).toEqual(Object.keys(METRICS).sort());
  });

  it("breaks the table's metrics down by their own dimensions", () => {
    const body = dashboardBody(template);
    for (const name of ['Requests', 'MessagesSent', 'PostConfirmationActions'] as const) {
      const dims = ['service', ...METRICS[name].dimensions].join(',');
      expect(body).toContain(`SEARCH('{PasswordBff/Ops,${dims}} MetricName=\\"${name}\\"'`);
    }
  });

  it('is linked from a stack output', () => {
    template.hasOutput('DashboardUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('#dashboards:name=')])] },
    });
  });
});
