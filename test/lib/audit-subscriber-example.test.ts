/** The example EventBridge subscriber of the audit events (README, "Customise messages and confirmation"). */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { expect, it } from '@jest/globals';
import { AuditSubscriberExample } from '../../lib/constructs/audit-subscriber-example';
import { PasswordBffStack } from '../../lib/password-bff-stack';
import { defaultSettings } from '../../lambdas/shared/settings';

it('subscribes a queue, with a dead-letter queue, to the audit events on the given bus', () => {
  const stack = new Stack(new App(), 'Consumer');
  const bus = new EventBus(stack, 'Bus');
  new AuditSubscriberExample(stack, 'Subscriber', { eventBus: bus, eventSource: 'acme-auth' });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Events::Rule', {
    EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
    EventPattern: { source: ['acme-auth'], 'detail-type': ['UserConfirmed', 'PasswordResetCompleted'] },
    Targets: [
      Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SubscriberEvents'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SubscriberDeadLetters'), 'Arn'] } },
      }),
    ],
  });
  template.resourceCountIs('AWS::SQS::Queue', 2);
});

it('matches what the product publishes: its bus and its event source', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const product = new PasswordBffStack(app, 'PasswordBff', { settings: { ...defaultSettings, eventSource: 'acme' } });
  new AuditSubscriberExample(product, 'Subscriber', { eventBus: product.eventBus, eventSource: 'acme' });
  const template = Template.fromStack(product);
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp('PostConfirmation') },
  });
  const variables = Object.values(functions)[0]?.Properties.Environment.Variables as Record<string, unknown>;
  expect(variables.EVENT_SOURCE).toBe('acme');
  const rules = template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['acme'] } } });
  expect(Object.values(rules)[0]?.Properties.EventBusName).toEqual(variables.EVENT_BUS_NAME);
});
