/**
 * Logical IDs are a contract with every stack already deployed: a changed ID on the user pool,
 * its client or a group makes CloudFormation replace the resource, and the users (or a group's
 * members) are lost. These are today's IDs; a refactor or a feature-flag change must keep them.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from '@jest/globals';
import { PasswordBffStack } from '../../lib/password-bff-stack';

const PINNED = {
  'AWS::Cognito::UserPool': ['IdentityUserPool96FE3B9B'],
  'AWS::Cognito::UserPoolClient': ['IdentityUserPoolClient486F4CC5'],
  // `Group1` comes from the group's index in a list: renaming it would replace the group.
  'AWS::Cognito::UserPoolGroup': ['IdentityAdminsGroup3AE52AE1', 'IdentityGroup14110E301'],
  'AWS::Events::EventBus': ['AuditBusE928BA39'],
} as const;

/** cdk.json's context, feature flags included: what `cdk deploy` synthesizes with. */
const cdkContext = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }
).context;

describe('logical IDs of stateful resources', () => {
  const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
  const template = Template.fromStack(new PasswordBffStack(app, 'PasswordBff'));

  it.each(Object.entries(PINNED))('keeps the logical IDs of every %s', (type, ids) => {
    expect(Object.keys(template.findResources(type)).sort()).toEqual([...ids].sort());
  });

  it('keeps the admin and default group names on the pinned resources', () => {
    const groups = template.findResources('AWS::Cognito::UserPoolGroup');
    expect(groups.IdentityAdminsGroup3AE52AE1?.Properties.GroupName).toBe('admins');
    expect(groups.IdentityGroup14110E301?.Properties.GroupName).toBe('users');
  });
});

describe('feature flags', () => {
  it('sets every flag that cdk init recommends for the locked aws-cdk-lib, with the recommended value', () => {
    const recommended = JSON.parse(
      readFileSync(new URL('../../node_modules/aws-cdk-lib/recommended-feature-flags.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const flags = Object.fromEntries(Object.entries(cdkContext).filter(([key]) => key.startsWith('@aws-cdk')));
    expect(flags).toEqual(recommended);
  });
});
