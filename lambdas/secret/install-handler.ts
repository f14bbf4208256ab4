/**
 * The custom resource that installs the app client's secret from Secrets Manager at creation (install.ts).
 * CloudFormation invokes it directly and waits for the answer PUT to the presigned `ResponseURL`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html). Its properties hold
 * ids only, never the secret, and it answers no data (`NoEcho` as well). An update installs again only if it
 * names another pool, client or secret: a later deploy never overwrites a rotated value. Delete does nothing: the
 * secrets live and die with their client and their Secrets Manager secret.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { cognitoClient } from '../shared/aws';
import { finished } from '../shared/invocation';
import { logger } from '../shared/logger';
import { installClientSecret, secretsManagerStore } from './install';

const TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 2500, maxAttempts: 1 } as const;

interface Target {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly secretId: string;
}

const targetOf = (properties: Record<string, unknown> | undefined): Target => ({
  userPoolId: String(properties?.UserPoolId ?? ''),
  clientId: String(properties?.ClientId ?? ''),
  secretId: String(properties?.SecretId ?? ''),
});

const same = (a: Target, b: Target) =>
  a.userPoolId === b.userPoolId && a.clientId === b.clientId && a.secretId === b.secretId;

export async function handler(event: CloudFormationCustomResourceEvent): Promise<void> {
  const target = targetOf(event.ResourceProperties);
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = 'See the function log.';
  try {
    const changed = event.RequestType === 'Update' && !same(target, targetOf(event.OldResourceProperties));
    if (event.RequestType === 'Create' || changed) {
      const region = process.env.AWS_REGION ?? '';
      const added = await installClientSecret(
        cognitoClient(TIMEOUTS, undefined),
        secretsManagerStore({ secretId: target.secretId, region }),
        target,
      );
      logger.info('client secret install', { requestType: event.RequestType, added });
    }
  } catch (error) {
    status = 'FAILED';
    // The error's name only: nothing the calls answer is repeated.
    reason = `Installing the client secret failed: ${(error as Error).name}`;
    logger.error('client secret install failed', { requestType: event.RequestType, error: (error as Error).name });
  }
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: `${target.clientId}/client-secret`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: true,
  });
  await fetch(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body });
  await finished();
}
