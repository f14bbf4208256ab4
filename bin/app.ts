#!/usr/bin/env node
/**
 * The CDK app: settings from the context (`bff:*` keys in cdk.json, overridable with -c, read
 * the same way from both), cdk-nag AwsSolutions checks on every synth (an unacknowledged error
 * fails it).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { settingsFromContext } from '../lambdas/shared/settings';
import { PasswordBffStack } from '../lib/password-bff-stack';

const app = new App();
const settings = settingsFromContext(app.node.getAllContext());

new PasswordBffStack(app, 'PasswordBff', {
  settings,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
