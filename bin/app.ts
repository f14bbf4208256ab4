#!/usr/bin/env node
/**
 * The CDK app: settings from cdk.json context (`bff:*` keys, overridable with -c), cdk-nag
 * AwsSolutions checks on every synth (an unacknowledged error fails it).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PasswordBffStack } from '../lib/password-bff-stack';
import { settingsFromContext } from '../lambdas/shared/settings';

const app = new App();
const context = (key: string) => app.node.tryGetContext(key) as unknown;
const settings = settingsFromContext(context);

new PasswordBffStack(app, 'PasswordBff', {
  settings,
  retainUserPool: context('bff:removalPolicy') !== 'destroy',
  threatProtection: context('bff:threatProtection') === true,
  enableWaf: context('bff:enableWaf') === true,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
