#!/usr/bin/env node
/**
 * The CDK app of `npm run test:aws` ONLY: one throwaway stack (BFF_TEST_STACK_NAME, which scripts/test-aws.ts
 * makes unique) with the test seam (test/aws/seam.ts). The product's app is bin/app.ts, which never has it.
 */
import { App } from 'aws-cdk-lib';
import { addTestStack } from '../test/aws/seam';

const app = new App();
const stackName = process.env.BFF_TEST_STACK_NAME;
if (!stackName) throw new Error('BFF_TEST_STACK_NAME is not set: run this app through npm run test:aws');
addTestStack(app, {
  stackName,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
