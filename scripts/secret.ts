/**
 * `npm run secret -- rotate [--stack-name <name>] [--region <region>] [--local <bffUrl>] [--wait-seconds <n>]`:
 * rotates the app client's secret with no downtime (README, "Rotate the client secret"). Secrets Manager is the
 * source of truth; Cognito holds up to two live secrets per app client
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AddUserPoolClientSecret.html):
 * 1. delete any live secret other than the current one (the one Cognito generated at creation, or one a failed
 *    rotation left), so that there is room for the new one (DeleteUserPoolClientSecret: "You cannot delete the
 *    last remaining secret", https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPoolClientSecret.html);
 * 2. add a new secret to Cognito (AddUserPoolClientSecret with the value): now both are accepted;
 * 3. store it in Secrets Manager (PutSecretValue): functions read it once their cache is older than
 *    bff:clientSecretMaxAgeSeconds, and after a refused SecretHash (at most once every 5 s);
 * 4. wait longer than that maximum age, then delete the old secret from Cognito.
 * Secrets Manager is called with the same signed requests as the functions (lambdas/shared/secret-reader.ts),
 * with the caller's credentials as the Cognito client resolves them: no Secrets Manager SDK in the project.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  AddUserPoolClientSecretCommand,
  CognitoIdentityProviderClient,
  DeleteUserPoolClientSecretCommand,
  ListUserPoolClientSecretsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  type ClientSecretStore,
  type ClientSecretTarget,
  installClientSecret,
  secretsManagerStore,
} from '../lambdas/secret/install';
import { newClientSecretValue } from '../local/secrets';
import { DEFAULT_STACK_NAME, describeError, readLocalConfig } from './admin';

export interface RotationSteps {
  /** Waits the functions' maximum cache age (and a margin) before the old secret is deleted. */
  readonly wait: () => Promise<void>;
  readonly log: (line: string) => void;
}

/** One rotation; run it again after a failure (it starts from what Secrets Manager holds). Never prints a value. */
export async function rotateClientSecret(
  cognito: CognitoIdentityProviderClient,
  store: ClientSecretStore,
  target: ClientSecretTarget,
  steps: RotationSteps,
): Promise<{ oldId: string; newId: string }> {
  const client = { UserPoolId: target.userPoolId, ClientId: target.clientId };
  // The secret Secrets Manager holds is live in Cognito first (install.ts: what the stack's custom resource does
  // at creation; again here after a secret deleted by hand), so that deleting the others below signs nobody out.
  if (await installClientSecret(cognito, store, target))
    steps.log('put the secret Secrets Manager holds on the client');
  const current = await store.read();
  const live = (await cognito.send(new ListUserPoolClientSecretsCommand(client))).ClientSecrets ?? [];
  const currentId = current.clientSecretId ?? '';
  for (const stale of live.filter((s) => s.ClientSecretId !== currentId)) {
    await cognito.send(new DeleteUserPoolClientSecretCommand({ ...client, ClientSecretId: stale.ClientSecretId }));
    steps.log(`deleted ${stale.ClientSecretId}, which Secrets Manager does not hold`);
  }
  const value = newClientSecretValue();
  const added = await cognito.send(new AddUserPoolClientSecretCommand({ ...client, ClientSecret: value }));
  const newId = added.ClientSecretDescriptor?.ClientSecretId;
  if (!newId) throw new Error('AddUserPoolClientSecret answered without a ClientSecretId');
  steps.log(`added ${newId}: two secrets are live`);
  await store.write({ clientSecret: value, clientSecretId: newId });
  steps.log('stored it in Secrets Manager; waiting for every function to read it');
  await steps.wait();
  await cognito.send(new DeleteUserPoolClientSecretCommand({ ...client, ClientSecretId: currentId }));
  steps.log(`deleted ${currentId}: the rotation is done`);
  return { oldId: currentId, newId };
}

export const USAGE = `usage: npm run secret -- rotate [--wait-seconds <n>]
         [--stack-name <name> (default ${DEFAULT_STACK_NAME})] [--region <region>]   a deployed stack
         [--local <bffUrl>]                                               the local stack (npm start)`;

/** Where the client and its secret are, and how long the functions keep the secret. */
async function locate(values: { local?: string; 'stack-name'?: string; region?: string }) {
  if (values.local) {
    const local = await readLocalConfig(values.local);
    const body = (await (await fetch(new URL('/_local/config', values.local))).json()) as Record<string, unknown>;
    const options = {
      endpoint: local.cognitoEndpoint,
      region: local.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    const store = secretsManagerStore({
      secretId: String(body.clientSecretId),
      region: local.region,
      endpoint: local.cognitoEndpoint,
      credentials: options.credentials,
    });
    return {
      cognito: new CognitoIdentityProviderClient(options),
      store,
      target: { userPoolId: local.userPoolId, clientId: String(body.clientId) },
      maxAgeSeconds: Number(body.clientSecretMaxAgeSeconds),
    };
  }
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const cfn = new CloudFormationClient(values.region ? { region: values.region } : {});
  const stackName = values['stack-name'] ?? DEFAULT_STACK_NAME;
  const stacks = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = Object.fromEntries(
    (stacks.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
  );
  for (const key of ['UserPoolId', 'UserPoolClientId', 'Region', 'ClientSecretArn', 'ClientSecretMaxAgeSeconds']) {
    if (!outputs[key]) throw new Error(`stack "${stackName}" has no output ${key}: deploy this version first`);
  }
  const region = outputs.Region ?? '';
  const cognito = new CognitoIdentityProviderClient({ region });
  return {
    cognito,
    // Signed with the caller's credentials, as the Cognito client resolves them (profile, SSO, environment).
    store: secretsManagerStore({
      secretId: outputs.ClientSecretArn ?? '',
      region,
      credentials: await cognito.config.credentials(),
    }),
    target: { userPoolId: outputs.UserPoolId ?? '', clientId: outputs.UserPoolClientId ?? '' },
    maxAgeSeconds: Number(outputs.ClientSecretMaxAgeSeconds),
  };
}

export async function run(
  argv: readonly string[],
  log = (line: string) => console.log(line),
  err = (line: string) => console.error(line),
): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        local: { type: 'string' },
        'stack-name': { type: 'string' },
        region: { type: 'string' },
        'wait-seconds': { type: 'string' },
      },
    });
    if (positionals[0] !== 'rotate' || positionals.length !== 1) {
      err(USAGE);
      return 2;
    }
    const where = await locate(values);
    if (!Number.isInteger(where.maxAgeSeconds) || where.maxAgeSeconds < 1) {
      throw new Error('cannot tell how long the functions keep the secret (bff:clientSecretMaxAgeSeconds)');
    }
    // Longer than the functions' cache, with a margin for a request that read the secret just before the store.
    const waitSeconds = Number(values['wait-seconds'] ?? Math.ceil(where.maxAgeSeconds * 1.1 + 5));
    if (!Number.isFinite(waitSeconds) || waitSeconds <= where.maxAgeSeconds) {
      throw new Error(`--wait-seconds must be more than the functions' cache age, ${where.maxAgeSeconds} s`);
    }
    log(`rotating the secret of client ${where.target.clientId}; the old one is deleted after ${waitSeconds} s`);
    await rotateClientSecret(where.cognito, where.store, where.target, {
      wait: () => new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000)),
      log,
    });
    return 0;
  } catch (error) {
    err(describeError(error).replace(/^admin:/, 'secret rotation failed:'));
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await run(process.argv.slice(2));
}
