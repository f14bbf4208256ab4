/**
 * The whole product offline: the local Cognito and a local EventBridge on an internal loopback
 * port, the BFF on the public port, the triggers registered in process, a pool, client and
 * groups configured from the same settings as the CDK stack, and a seeded admin.
 */
import { galleryConfig, galleryEntries, galleryPage } from './messages-gallery';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  PasswordHistoryPolicyViolationException,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { toEnvironment } from '../lambdas/shared/config';
import { SECRET_ACTION, functionKindOf } from '../lambdas/shared/route';
import { installClientSecret, secretsManagerStore } from '../lambdas/secret/install';
import { type Settings, settingsFromContext } from '../lambdas/shared/settings';
import { openApiDocument } from '../lambdas/openapi';
import { awsJsonListener } from './aws-json';
import { Concurrency, bffListener, createFunction, isLoopbackHost, mountRoutes, startingListener } from './bff-server';
import { defaultConcurrency } from './capacity';
import { LocalCognito, type TriggerHandler } from './cognito';
import { passwordMatches } from './cognito/credentials';
import { findUser } from './cognito/users';
import { type Clock, ManualClock, systemClock } from './clock';
import { LocalEventBridge } from './events';
import { LOCAL_CLIENT_SECRET_ID, LOCAL_SESSION_KEY_SECRET_ID, LocalSecrets } from './secrets';
import { LocalMetrics, METRICS_ASSETS } from './metrics';
import { LocalDynamoDb } from './dynamodb';
import { LocalSes } from './ses';

export const ROOT = new URL('../', import.meta.url);
export const POOL_NAME = 'password-bff-local';
export const TRIGGER_ARNS = {
  CustomMessage: 'arn:aws:lambda:local:000000000000:function:custom-message',
  PostConfirmation: 'arn:aws:lambda:local:000000000000:function:post-confirmation',
} as const;
export const DEFAULT_ADMIN_PASSWORD = 'Local-Admin-Passw0rd!';
export const ADMIN_USERNAME = 'admin@example.com';
const LOOPBACK_ONLY = 'The local stack answers this only for requests addressed to localhost, 127.0.0.1 or [::1].';

export interface LocalStackOptions {
  /** BFF port. @default 3000; 0 picks a free one */
  readonly port?: number;
  /** Internal Cognito/EventBridge port. @default 0, a free one */
  readonly cognitoPort?: number;
  readonly host?: string;
  /** Where state lives; memory-only when undefined. */
  readonly dataDir?: string;
  readonly adminPassword?: string;
  readonly logLevel?: string;
  /** Cognito's trigger timeout, shortened by tests. */
  readonly triggerTimeoutMs?: number;
  /**
   * Time each trigger invocation takes in the local Cognito, as a Lambda invocation does in AWS (the timing
   * test turns it on). @default 0
   */
  readonly triggerLatencyMs?: number;
  /** `bff:` settings over cdk.json's, read as `-c bff:key=value` is by `cdk` (settingsFromContext). */
  readonly context?: Readonly<Record<string, unknown>>;
  /**
   * Where time comes from. With a {@link ManualClock}, `POST /_local/clock {"advanceMs": n}`
   * moves it forward (tests use it instead of sleeping); absent with the system clock.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * Route function invocations that may run at once; more wait at the local gateway in arrival
   * order (see local/capacity.ts). @default defaultConcurrency(), from the machine's cores
   */
  readonly concurrency?: number;
  /**
   * Emulate API Gateway's throttles (the stage's and the strict routes' token buckets, 429 with
   * Retry-After). Off by default: locally one person tests, and load tests measure the stack.
   * @default false
   */
  readonly throttle?: boolean;
  /**
   * Local-only origins (`npm start -- --origin`, BFF_LOCAL_ORIGINS), e.g. a dev server's `http://localhost:5173`:
   * added to CORS (`allowedOrigins`) and, with a trailing `/`, to the redirect allowlist of this stack only.
   */
  readonly localOrigins?: readonly string[];
}

export interface LocalStack {
  readonly url: string;
  /** The product page's origin: `http://localhost:<port>` (cookies are for one site; browsers test on localhost). */
  readonly pageUrl: string;
  readonly cognitoEndpoint: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly adminUsername: string;
  readonly adminPassword: string;
  readonly settings: Settings;
  readonly cognito: LocalCognito;
  readonly clock: Clock;
  /** The functions' EMF metric lines, as `GET /_local/metrics` serves them. */
  readonly metrics: LocalMetrics;
  stop(): Promise<void>;
}

/** The same settings `cdk synth` uses: cdk.json context, then `-c` values, through settingsFromContext. */
export function loadSettings(overrides: Readonly<Record<string, unknown>> = {}): Settings {
  const cdk = JSON.parse(readFileSync(new URL('cdk.json', ROOT), 'utf8')) as { context?: Record<string, unknown> };
  return settingsFromContext({ ...cdk.context, ...overrides });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${host} is already in use: stop what uses it, or start with PORT=<another port>`)
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

const TIERS = { lite: 'LITE', essentials: 'ESSENTIALS', plus: 'PLUS' } as const;

/** Pool, client and groups from the settings: created once, brought up to date at every start. */
async function configurePool(sdk: CognitoIdentityProviderClient, settings: Settings) {
  const p = settings.passwordPolicy;
  const c = settings.client;
  const poolSettings = {
    Policies: {
      PasswordPolicy: {
        MinimumLength: p.minLength,
        RequireLowercase: p.requireLowercase,
        RequireUppercase: p.requireUppercase,
        RequireNumbers: p.requireDigits,
        RequireSymbols: p.requireSymbols,
        TemporaryPasswordValidityDays: p.tempPasswordValidityDays,
        PasswordHistorySize: p.passwordHistorySize,
      },
    },
    // The plan gates what the settings above may turn on, as in AWS (FeatureUnavailableInTierException).
    UserPoolTier: TIERS[settings.featurePlan],
    ...(settings.threatProtection ? { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' as const } } : {}),
    AutoVerifiedAttributes: ['email' as const],
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email' as const] },
    LambdaConfig: { CustomMessage: TRIGGER_ARNS.CustomMessage, PostConfirmation: TRIGGER_ARNS.PostConfirmation },
  };
  const pools = await sdk.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  let userPoolId = pools.UserPools?.find((pool) => pool.Name === POOL_NAME)?.Id;
  if (userPoolId) {
    await sdk.send(new UpdateUserPoolCommand({ UserPoolId: userPoolId, ...poolSettings }));
  } else {
    const created = await sdk.send(
      new CreateUserPoolCommand({ PoolName: POOL_NAME, UsernameAttributes: ['email'], ...poolSettings }),
    );
    userPoolId = created.UserPool?.Id ?? '';
  }
  const clientSettings = {
    UserPoolId: userPoolId,
    ClientName: c.clientName,
    // As CDK synthesizes it: with rotation on, REFRESH_TOKEN_AUTH is left out (GetTokensFromRefreshToken refreshes).
    ExplicitAuthFlows: c.explicitAuthFlows.filter((flow) => flow !== 'ALLOW_REFRESH_TOKEN_AUTH') as never[],
    RefreshTokenRotation: { Feature: 'ENABLED' as const, RetryGracePeriodSeconds: c.refreshTokenRotationGraceSeconds },
    ReadAttributes: [...c.readAttributes],
    WriteAttributes: [...c.writeAttributes],
    PreventUserExistenceErrors: c.preventUserExistenceErrors ? ('ENABLED' as const) : ('LEGACY' as const),
    AccessTokenValidity: c.tokenValidity.accessTokenMinutes,
    IdTokenValidity: c.tokenValidity.idTokenMinutes,
    RefreshTokenValidity: c.tokenValidity.refreshTokenDays,
    TokenValidityUnits: { AccessToken: 'minutes' as const, IdToken: 'minutes' as const, RefreshToken: 'days' as const },
    EnablePropagateAdditionalUserContextData: true,
    EnableTokenRevocation: true,
  };
  const clients = await sdk.send(new ListUserPoolClientsCommand({ UserPoolId: userPoolId }));
  let clientId = clients.UserPoolClients?.[0]?.ClientId;
  if (clientId) {
    await sdk.send(new UpdateUserPoolClientCommand({ ...clientSettings, ClientId: clientId }));
  } else {
    const created = await sdk.send(new CreateUserPoolClientCommand({ ...clientSettings, GenerateSecret: true }));
    clientId = created.UserPoolClient?.ClientId ?? '';
  }
  for (const group of [settings.adminGroupName, settings.defaultGroupName]) {
    await sdk.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group })).catch((error: Error) => {
      if (error.name !== 'GroupExistsException') throw error;
    });
  }
  return { userPoolId, clientId };
}

/**
 * The admin, with the given password. An existing admin's password is set only when it differs (ROUND2): with
 * password history on, setting the current password again is PasswordHistoryPolicyViolationException, and that
 * must not stop the second `npm start`. A password the admin already used (changed since) is kept as it is,
 * with a warning.
 */
async function seedAdmin(
  sdk: CognitoIdentityProviderClient,
  cognito: LocalCognito,
  userPoolId: string,
  group: string,
  password: string,
) {
  const target = { UserPoolId: userPoolId, Username: ADMIN_USERNAME };
  const existing = findUser(cognito.engine.pool(userPoolId), ADMIN_USERNAME);
  if (!existing) {
    await sdk.send(
      new AdminCreateUserCommand({
        ...target,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: 'Local Admin' },
        ],
      }),
    );
  }
  const current = existing?.status === 'CONFIRMED' && (await passwordMatches(existing, password));
  if (!current) {
    try {
      await sdk.send(new AdminSetUserPasswordCommand({ ...target, Password: password, Permanent: true }));
    } catch (error) {
      if (!(error instanceof PasswordHistoryPolicyViolationException)) throw error;
      console.warn(`local admin ${ADMIN_USERNAME}: the password given was used before; the current one stays`);
    }
  }
  await sdk.send(new AdminAddUserToGroupCommand({ ...target, GroupName: group }));
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const base = loadSettings(options.context);
  const triggers: Record<string, TriggerHandler> = {};
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const cognito = new LocalCognito({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    now,
    triggers,
    ...(options.triggerTimeoutMs ? { triggerTimeoutMs: options.triggerTimeoutMs } : {}),
    ...(options.triggerLatencyMs ? { triggerLatencyMs: options.triggerLatencyMs } : {}),
    // Every Retry-After the BFF sends is a wait this window honours (ROUND2; bff:retryAfterSeconds).
    limitWindowMs: base.retryAfterSeconds * 1000,
  });
  const events = new LocalEventBridge(options.dataDir, now);
  const secrets = new LocalSecrets(options.dataDir);
  const dynamoDb = new LocalDynamoDb(options.dataDir);
  // The BFF's own notices (SES) land in the local Cognito's outbox.
  const ses = new LocalSes(
    () => cognito.outbox,
    now,
    () => cognito.engine.store.commit(),
  );

  // The local Cognito answers only requests addressed to a loopback name: a page on another
  // site that rebinds its DNS name to 127.0.0.1 must not reach the admin API (client secret).
  const cognitoListener = awsJsonListener(
    [cognito.service, events.service, secrets.service, dynamoDb.service],
    (path) => cognito.jwks(path),
    (error) => {
      console.error('local cognito internal error:', (error as Error).name);
    },
  );
  const internal = createServer((req, res) => {
    if (isLoopbackHost(req.headers.host))
      return LocalSes.handles(req) ? ses.listener(req, res) : cognitoListener(req, res);
    const body = JSON.stringify({ __type: 'AccessDeniedException', message: LOOPBACK_ONLY });
    res.writeHead(403, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  const cognitoPort = await listen(internal, options.cognitoPort ?? 0, host);
  const cognitoEndpoint = `http://${host}:${cognitoPort}`;
  cognito.engine.issuerBase = cognitoEndpoint;

  // The port is taken first, so that a busy port stops the start at once; until everything below
  // is ready, every request gets a 503 with Retry-After (none waits on a listener that is not there).
  const starting = startingListener();
  const bff = createServer(starting);
  let port: number;
  try {
    port = await listen(bff, options.port ?? 3000, host);
  } catch (error) {
    await close(internal);
    throw error;
  }
  const url = `http://${host}:${port}`;
  // The page and links work on whatever port the stack runs, and so do the origins given for this run only.
  const localOrigins = [`http://${host}:${port}`, `http://localhost:${port}`, ...(options.localOrigins ?? [])];
  const settings: Settings = {
    ...base,
    allowedOrigins: [...new Set([...base.allowedOrigins, ...localOrigins])],
    redirectAllowlist: [...new Set([...base.redirectAllowlist, ...localOrigins.map((o) => `${o}/`)])],
    appName: 'Password BFF (local)',
  };

  // What Lambda's runtime gives every function: a region and credentials for the SDK (the local
  // Cognito does not check them), and the log level. The same for every stack in this process.
  Object.assign(process.env, {
    AWS_REGION: cognito.engine.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? process.env.LOG_LEVEL ?? 'WARN',
  });
  const sdk = new CognitoIdentityProviderClient({ endpoint: cognitoEndpoint });
  const pool = await configurePool(sdk, settings);
  // The client secret as in AWS (lib/constructs/client-secret.ts): the local Secrets Manager holds it, and the
  // stack's custom resource's install step puts it on the client (once; a rotated value is kept).
  await installClientSecret(
    sdk,
    secretsManagerStore({ secretId: LOCAL_CLIENT_SECRET_ID, region: cognito.engine.region, endpoint: cognitoEndpoint }),
    pool,
  );
  const adminPassword = options.adminPassword ?? DEFAULT_ADMIN_PASSWORD;
  await seedAdmin(sdk, cognito, pool.userPoolId, settings.adminGroupName, adminPassword);

  // Each function is its own instance, configured through the contract (as CDK does), with its
  // own SDK client pointed at the local endpoints: independent functions, as in AWS.
  // Their metrics come here, as EMF lines (GET /_local/metrics), instead of to standard output.
  const metrics = new LocalMetrics();
  const ids = {
    userPoolId: pool.userPoolId,
    clientId: pool.clientId,
    eventBusName: 'default',
    cognitoEndpoint,
    eventBridgeEndpoint: cognitoEndpoint,
    secretsManagerEndpoint: cognitoEndpoint,
    sessionKeySecretId: LOCAL_SESSION_KEY_SECRET_ID,
    sesEndpoint: cognitoEndpoint,
    dynamoDbEndpoint: cognitoEndpoint,
    codeCapTable: 'password-bff-local-code-cap',
  };
  triggers[TRIGGER_ARNS.CustomMessage] = await createFunction<TriggerHandler>(
    ROOT,
    'lambdas/triggers/custom-message/handler.ts',
    { ...toEnvironment('customMessage', settings, ids), ...metrics.env },
  );
  triggers[TRIGGER_ARNS.PostConfirmation] = await createFunction<TriggerHandler>(
    ROOT,
    'lambdas/triggers/post-confirmation/handler.ts',
    { ...toEnvironment('postConfirmation', settings, ids), ...metrics.env },
  );

  const concurrency = new Concurrency(options.concurrency ?? defaultConcurrency());
  // The functions that compute a SecretHash, and only they, get the client secret's id (lib/constructs/bff-api.ts).
  const signing = { ...ids, clientSecretId: LOCAL_CLIENT_SECRET_ID };
  const mounted = await mountRoutes(
    ROOT,
    (route) => ({
      ...toEnvironment(functionKindOf(route), settings, route.actions.includes(SECRET_ACTION) ? signing : ids, {
        ...(route.notice ? { notice: route.notice } : {}),
        ...(route.codeCap ? { codeCap: true } : {}),
      }),
      ...metrics.env,
    }),
    concurrency,
  );
  const localConfig = {
    cognitoEndpoint,
    region: cognito.engine.region,
    userPoolId: pool.userPoolId,
    clientId: pool.clientId,
    clientSecretId: LOCAL_CLIENT_SECRET_ID,
    clientSecretMaxAgeSeconds: settings.clientSecretMaxAgeSeconds,
    adminGroupName: settings.adminGroupName,
  };
  const assets = {
    ...(await pageAssets(settings)),
    '/_local/messages': { contentType: 'text/html; charset=utf-8', body: messagesPage(settings) },
  };
  bff.off('request', starting);
  bff.on(
    'request',
    bffListener(mounted, {
      allowedOrigins: settings.allowedOrigins,
      now,
      localGet: (path, query) => {
        if (path === '/openapi.json') return openApiDocument(url);
        // The client secret the functions sign with now (it changes with a rotation).
        if (path === '/_local/config') return { ...localConfig, clientSecret: secrets.currentClientSecret() };
        if (path === '/_local/events') return events.list;
        if (path === '/_local/metrics') return metrics.snapshot();
        if (path === '/_local/outbox') {
          const to = query.get('to')?.toLowerCase();
          return to ? cognito.outbox.filter((m) => m.to.toLowerCase() === to) : cognito.outbox;
        }
        if (path === '/_local/clock') return { now: new Date(clock.now()).toISOString() };
        return undefined;
      },
      ...(clock instanceof ManualClock
        ? {
            localPost: (path: string, body: unknown) => {
              if (path !== '/_local/clock') return undefined;
              const advanceMs = (body as { advanceMs?: unknown } | undefined)?.advanceMs;
              if (typeof advanceMs !== 'number' || !Number.isSafeInteger(advanceMs) || advanceMs < 0) {
                return { status: 400, detail: 'advanceMs must be a non-negative integer number of milliseconds.' };
              }
              return { status: 200, value: { now: new Date(clock.advance(advanceMs)).toISOString() } };
            },
          }
        : {}),
      ...(options.throttle
        ? {
            throttle: {
              stage: settings.throttle,
              strict: settings.publicRouteThrottle,
              retryAfterSeconds: settings.retryAfterSeconds,
            },
          }
        : {}),
      assets: { ...assets, ...METRICS_ASSETS },
    }),
  );

  return {
    url,
    pageUrl: `http://localhost:${port}`,
    cognitoEndpoint,
    userPoolId: pool.userPoolId,
    clientId: pool.clientId,
    adminUsername: ADMIN_USERNAME,
    adminPassword,
    settings,
    cognito,
    clock,
    metrics,
    stop: async () => {
      await Promise.all([close(bff), close(internal)]);
      metrics.stop();
      await Promise.all([
        cognito.engine.store.commit(),
        events.store.commit(),
        secrets.store.commit(),
        dynamoDb.store.commit(),
      ]);
    },
  };
}

/** The message gallery (every message x locale, sample data), see ./messages-gallery.ts. */
const messagesPage = (settings: Settings) => galleryPage(galleryEntries(galleryConfig(settings)), 'inline');

/**
 * The product page at `/` (HTML plus its script, built from local/page/ with the packaged client) and the
 * outbox panel at `/_local/outbox.html`. The page learns the admins' group name from a meta tag.
 */
async function pageAssets(settings: Settings) {
  const { build } = await import('esbuild');
  const built = await build({
    entryPoints: ['app', 'outbox'].map((name) => new URL(`local/page/${name}.ts`, ROOT).pathname),
    outdir: 'page',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'error',
  });
  const script = (name: string) => built.outputFiles.find((f) => f.path.endsWith(`/${name}.js`))?.text ?? '';
  const html = (name: string) => readFileSync(new URL(`local/page/${name}.html`, ROOT), 'utf8');
  const escaped = settings.adminGroupName.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  const js = 'text/javascript; charset=utf-8';
  const page = 'text/html; charset=utf-8';
  return {
    '/': { contentType: page, body: html('index').replace('{{ADMIN_GROUP}}', escaped) },
    '/app.js': { contentType: js, body: script('app') },
    '/_local/outbox.html': { contentType: page, body: html('outbox') },
    '/_local/outbox.js': { contentType: js, body: script('outbox') },
  };
}
