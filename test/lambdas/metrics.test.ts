/**
 * What the functions count (lambdas/shared/metrics.ts): each answer by route and outcome, the Cognito failures an
 * operator acts on, the triggers' mails, fallbacks, failures and actions; only the dimensions of the table, and no
 * personal data. A SecretHash failure is a 502 of its own code, counted every time and logged once per container.
 */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { CustomMessageTriggerEvent, PostConfirmationTriggerEvent } from 'aws-lambda';
import { apiEvent, invoke } from '../support/events';
import { CLIENT_SECRET_ID, serveClientSecret } from '../support/secrets-manager';
import { toEnvironment } from '../../lambdas/shared/config';
import { METRICS, METRICS_SINK_ENV, metricsEmitter, registerMetricsSink } from '../../lambdas/shared/metrics';
import { defaultSettings } from '../../lambdas/shared/settings';

Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_DEV: 'true' });

const IDS = {
  userPoolId: 'us-east-1_TestPool1',
  clientId: 'testclientid0123456789abcd',
  eventBusName: 'bus',
  sessionKeySecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:session-key',
  clientSecretId: CLIENT_SECRET_ID,
};
const settings = { ...defaultSettings, responseFloorMs: 0 };
const SINK = 'metrics-test';
const sink = { [METRICS_SINK_ENV]: SINK };
const USER = 'jane.doe@example.com';
const PASSWORD = 'Corr3ct-Horse-Battery!';

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [member: string]: unknown;
}
const lines: Emf[] = [];
const raw: string[] = [];
const logs: string[] = [];
let unregister: () => void;

/** The data points since `from`: name, and the dimensions of its most specific set. */
const points = (from = 0) =>
  lines.slice(from).flatMap((line) =>
    line._aws.CloudWatchMetrics.flatMap((d) => {
      const names = d.Dimensions.reduce((a, b) => (b.length > a.length ? b : a), [] as string[]);
      return d.Metrics.map((m) => ({
        name: m.Name,
        dimensions: Object.fromEntries(names.filter((n) => n !== 'service').map((n) => [n, line[n]])),
        sets: d.Dimensions,
      }));
    }),
  );

const cognito = mockClient(sdk.CognitoIdentityProviderClient);
const eventBridge = mockClient(EventBridgeClient);

beforeAll(() => {
  unregister = registerMetricsSink(SINK, (line) => {
    raw.push(line);
    lines.push(JSON.parse(line) as Emf);
  });
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(' '));
    });
  }
  serveClientSecret(() => 'the-secret');
});

afterAll(() => {
  unregister();
  jest.restoreAllMocks();
  // No personal data in any metric line.
  expect(raw.length).toBeGreaterThan(0);
  for (const line of raw) {
    expect(line).not.toContain(USER);
    expect(line).not.toContain(PASSWORD);
    expect(line).not.toContain('sub-1');
  }
});

beforeEach(() => {
  cognito.reset();
  eventBridge.reset();
});

const api = async (entry: string) => {
  const module = (await import(`../../${entry}`)) as { create: (env: Record<string, string>) => unknown };
  // The session kind's environment holds every api field too: it serves routes of either kind.
  return module.create({ ...toEnvironment('session', settings, IDS), ...sink });
};
const signIn = () => apiEvent({ method: 'POST', path: '/auth/sign-in', body: { username: USER, password: PASSWORD } });
const forgot = () => apiEvent({ method: 'POST', path: '/password/forgot', body: { username: USER } });
const exception = (name: keyof typeof sdk, message: string) =>
  new (sdk[name] as new (o: object) => Error)({ message, $metadata: { httpStatusCode: 400 } });

describe('route metrics', () => {
  it('counts every answer by route and outcome, with both dimension sets', async () => {
    const handler = await api('lambdas/auth/sign-in.ts');
    const from = lines.length;
    cognito.on(sdk.InitiateAuthCommand).resolves({
      AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r', ExpiresIn: 3600 },
    });
    expect((await invoke(handler, signIn())).statusCode).toBe(200);
    cognito.on(sdk.InitiateAuthCommand).rejects(exception('NotAuthorizedException', 'Incorrect username or password.'));
    expect((await invoke(handler, signIn())).statusCode).toBe(401);
    expect((await invoke(handler, apiEvent({ method: 'POST', path: '/auth/sign-in', raw: '{' }))).statusCode).toBe(400);
    expect(points(from).map((p) => [p.name, p.dimensions])).toEqual([
      ['Requests', { route: 'signIn', outcome: 'ok' }],
      ['Requests', { route: 'signIn', outcome: 'NotAuthorized' }],
      ['Requests', { route: 'signIn', outcome: 'ValidationFailed' }],
    ]);
    // The alarms read the `service` series; the dashboard the route's.
    for (const p of points(from)) expect(p.sets).toEqual([['service', 'route', 'outcome'], ['service']]);
  });

  it('writes one line a request: its Requests metric is also its log record, and the logger stays quiet', async () => {
    const handler = await api('lambdas/auth/sign-in.ts');
    const from = lines.length;
    const logged = logs.length;
    cognito.on(sdk.InitiateAuthCommand).resolves({
      AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r', ExpiresIn: 3600 },
    });
    const event = signIn();
    (event.requestContext as { requestId?: string }).requestId = 'gateway-request-1';
    expect((await invoke(handler, event)).statusCode).toBe(200);
    cognito.on(sdk.InitiateAuthCommand).rejects(exception('NotAuthorizedException', 'Incorrect username or password.'));
    expect((await invoke(handler, signIn())).statusCode).toBe(401);
    expect(
      lines.slice(from).map(({ _aws, ...record }) => [_aws.CloudWatchMetrics[0]?.Metrics[0]?.Name, record]),
    ).toEqual([
      [
        'Requests',
        expect.objectContaining({
          level: 'INFO',
          message: 'request',
          route: 'signIn',
          outcome: 'ok',
          status: 200,
          ms: expect.any(Number),
          correlation_id: 'gateway-request-1',
          Requests: 1,
        }),
      ],
      [
        'Requests',
        expect.objectContaining({
          level: 'INFO',
          message: 'request rejected',
          status: 401,
          code: 'NotAuthorized',
          errorName: 'NotAuthorizedException',
        }),
      ],
    ]);
    // Neither answer wrote a second, logger-made line.
    expect(logs.slice(logged)).toEqual([]);
  });

  it("counts Cognito's throttles and its failures", async () => {
    const handler = await api('lambdas/auth/sign-in.ts');
    const from = lines.length;
    cognito.on(sdk.InitiateAuthCommand).rejects(exception('TooManyRequestsException', 'Too many requests'));
    expect((await invoke(handler, signIn())).statusCode).toBe(429);
    cognito.on(sdk.InitiateAuthCommand).rejects(exception('InternalErrorException', 'boom'));
    expect((await invoke(handler, signIn())).statusCode).toBe(502);
    expect(points(from).map((p) => [p.name, p.dimensions])).toEqual([
      ['Requests', { route: 'signIn', outcome: 'TooManyRequests' }],
      ['CognitoThrottles', { route: 'signIn' }],
      ['Requests', { route: 'signIn', outcome: 'Upstream' }],
      ['CognitoErrors', { route: 'signIn' }],
    ]);
  });

  it("counts Cognito's email cap on a code request it answers as sent", async () => {
    const handler = await api('lambdas/password/forgot.ts');
    const from = lines.length;
    cognito
      .on(sdk.ForgotPasswordCommand)
      .rejects(exception('LimitExceededException', 'Exceeded daily email limit for the operation or the account.'));
    expect((await invoke(handler, forgot())).statusCode).toBe(202);
    // A per-user limit is a user's state, not the cap: hidden, and not counted as the cap.
    cognito.on(sdk.ForgotPasswordCommand).rejects(exception('LimitExceededException', 'Attempt limit exceeded'));
    expect((await invoke(handler, forgot())).statusCode).toBe(202);
    expect(points(from).map((p) => [p.name, p.dimensions])).toEqual([
      ['EmailLimitReached', { route: 'forgotPassword' }],
      ['Requests', { route: 'forgotPassword', outcome: 'ok' }],
      ['Requests', { route: 'forgotPassword', outcome: 'ok' }],
    ]);
  });

  it('answers a SecretHash failure with a 502 of its own, counts each, and logs it once per container', async () => {
    const secretError = () => exception('NotAuthorizedException', 'Unable to verify secret hash for client x');
    for (const [entry, event] of [
      ['lambdas/auth/sign-in.ts', signIn],
      ['lambdas/password/forgot.ts', forgot],
    ] as const) {
      const handler = await api(entry);
      const from = lines.length;
      const logged = logs.length;
      cognito.on(sdk.InitiateAuthCommand).rejects(secretError());
      cognito.on(sdk.ForgotPasswordCommand).rejects(secretError());
      for (let i = 0; i < 3; i++) {
        const answer = await invoke(handler, event());
        expect(answer.statusCode).toBe(502);
        expect(answer.json.code).toBe('ClientSecretRejected');
      }
      expect(points(from).filter((p) => p.name === 'SecretHashFailures')).toHaveLength(3);
      const errors = logs.slice(logged).filter((line) => /"level":\s*"ERROR"/.test(line));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('Cognito rejected the app client secret');
      expect(errors[0]).not.toContain('the-secret');
    }
  });

  it('emits only the metrics and dimensions of the table', () => {
    expect(points().length).toBeGreaterThan(0);
    for (const p of points()) {
      const spec = METRICS[p.name as keyof typeof METRICS];
      expect(spec).toBeDefined();
      expect(Object.keys(p.dimensions).sort()).toEqual([...spec.dimensions].sort());
    }
  });

  it('writes each count with its own value and time, also when the same metric and dimensions repeat', () => {
    const emitter = metricsEmitter(sink);
    const from = lines.length;
    const now = jest.spyOn(Date, 'now');
    try {
      now.mockReturnValue(1_000);
      emitter.count('CognitoErrors', { route: 'signIn' }, 2);
      now.mockReturnValue(2_000);
      emitter.count('CognitoErrors', { route: 'signIn' }, 5);
      emitter.count('CognitoErrors', { route: 'getMe' });
    } finally {
      now.mockRestore();
    }
    expect(
      lines.slice(from).map((l) => [l.route, l.CognitoErrors, (l._aws as { Timestamp?: number }).Timestamp]),
    ).toEqual([
      ['signIn', 2, 1_000],
      ['signIn', 5, 2_000],
      ['getMe', 1, 2_000],
    ]);
  });

  it('writes log fields beside the metric as valid JSON, the metric\u2019s own members winning a name they share', () => {
    const emitter = metricsEmitter(sink);
    const from = raw.length;
    emitter.count('Requests', { route: 'signIn', outcome: 'ok' }, 1, {
      message: 'quote " backslash \\ line\nbreak \u2028',
      route: 'spoofed',
      Requests: 99,
      _aws: 'spoofed',
      skipped: undefined,
      ok: true,
    });
    emitter.count('Requests', { route: 'signIn', outcome: 'ok' }, 1, { skipped: undefined });
    const [withFields, without] = raw.slice(from).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(withFields).toMatchObject({
      message: 'quote " backslash \\ line\nbreak \u2028',
      route: 'signIn',
      outcome: 'ok',
      service: 'password-bff',
      Requests: 1,
      ok: true,
    });
    expect(withFields).not.toHaveProperty('skipped');
    expect((withFields?._aws as { CloudWatchMetrics?: unknown[] }).CloudWatchMetrics).toHaveLength(1);
    expect(Object.keys(without ?? {}).sort()).toEqual(['Requests', '_aws', 'outcome', 'route', 'service']);
  });
});

describe('trigger metrics', () => {
  const trigger = async (entry: string, kind: 'customMessage' | 'postConfirmation') => {
    const module = (await import(`../../${entry}`)) as { create: (env: Record<string, string>) => unknown };
    return module.create({ ...toEnvironment(kind, settings, IDS), ...sink }) as (event: unknown) => Promise<unknown>;
  };

  it('counts mails by trigger source, and the default message sent when a template breaks a rule', async () => {
    const handler = await trigger('lambdas/triggers/custom-message/handler.ts', 'customMessage');
    const event = (codeParameter: string) =>
      ({
        triggerSource: 'CustomMessage_ForgotPassword',
        userName: 'sub-1',
        request: { codeParameter, userAttributes: { email: USER }, clientMetadata: {} },
        response: {},
      }) as unknown as CustomMessageTriggerEvent;
    const from = lines.length;
    await handler(event('{####}'));
    // A placeholder so long that the rendered SMS breaks Cognito's 140 characters: the default goes out.
    await handler(event(`{${'#'.repeat(150)}}`));
    expect(points(from).map((p) => [p.name, p.dimensions])).toEqual([
      ['MessagesSent', { triggerSource: 'CustomMessage_ForgotPassword' }],
      ['MessageFallbacks', { triggerSource: 'CustomMessage_ForgotPassword' }],
      ['MessagesSent', { triggerSource: 'CustomMessage_ForgotPassword' }],
    ]);
  });

  it("counts PostConfirmation's actions, and its failure", async () => {
    const handler = await trigger('lambdas/triggers/post-confirmation/handler.ts', 'postConfirmation');
    const event = {
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      userPoolId: IDS.userPoolId,
      userName: 'sub-1',
      request: { userAttributes: { sub: 'sub-1', email: USER } },
      response: {},
    } as unknown as PostConfirmationTriggerEvent;
    cognito.on(sdk.AdminAddUserToGroupCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    const from = lines.length;
    await handler(event);
    cognito.on(sdk.AdminAddUserToGroupCommand).rejects(exception('InternalErrorException', 'boom'));
    await expect(handler(event)).rejects.toThrow('post-confirmation');
    const got = points(from).map((p) => JSON.stringify([p.name, p.dimensions]));
    expect(got.sort()).toEqual(
      [
        ['PostConfirmationActions', { action: 'addToGroup', outcome: 'ok' }],
        ['PostConfirmationActions', { action: 'auditEvent', outcome: 'ok' }],
        // The retry of the same confirmation publishes no second audit event (one per confirmation).
        ['PostConfirmationActions', { action: 'addToGroup', outcome: 'failed' }],
        ['TriggerFailures', { trigger: 'postConfirmation' }],
      ]
        .map((p) => JSON.stringify(p))
        .sort(),
    );
  });
});
