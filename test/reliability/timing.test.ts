/**
 * Timing parity of the routes that name a user without credentials (forgot, resend, reset, sign-up confirm,
 * forgot for an invited user, which resends the invitation, and sign-up with bff:hideDuplicateSignUp, which mails
 * the owner instead of refusing): answering for an existing user takes as long as for an unknown one. In AWS,
 * Cognito runs the CustomMessage trigger only for real users (and a hidden duplicate sign-up runs none, but mails
 * a notice); the local Cognito models that with a trigger latency (--trigger-latency-ms), and the BFF hides it
 * with its response-time floor (bff:responseFloorMs).
 *
 * Measured with paired, interleaved samples (existing and unknown back to back, alternating which goes first),
 * one request at a time (the reliability suite runs in band): the median of the paired differences
 * (medianDifference) must be under 2 ms. A control stack with the floor off and the same latency must show the
 * difference, so the measurement is seen to detect what the floor hides.
 */
import { AdminCreateUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PASSWORD, type RunningStack, client, removeDir, startStack, uniqueEmail } from '../support/stack';
import { record } from './summary';

const SAMPLES = 40;
/** A warm Lambda invocation's order of magnitude; far above the 2 ms the parity allows. */
const TRIGGER_LATENCY_MS = 60;
const MAX_MEDIAN_GAP_MS = 2;
/** Code requests and wrong codes per user, under the local Cognito's per-user limits. */
const USES_PER_USER = 5;
const USERS = Math.ceil(SAMPLES / USES_PER_USER);

type Api = ReturnType<typeof client>;
/**
 * `invited`: forgot for an invited user who never signed in, answered with a fresh invitation (RESEND).
 * `signUp`: a sign-up with bff:hideDuplicateSignUp; for an existing user it mails a notice through SES instead of
 * creating an account (and running the trigger).
 */
type Route = 'forgot' | 'resend' | 'reset' | 'confirm' | 'invited' | 'signUp';

/** A stack, and for each route the existing users to ask about (each used at most USES_PER_USER times). */
interface Subject {
  readonly stack: RunningStack;
  readonly api: Api;
  readonly confirmed: string[];
  readonly unconfirmed: string[];
  readonly invited: string[];
}

const subjects: RunningStack[] = [];

async function subject(args: string[]): Promise<Subject> {
  const stack = await startStack({ args: ['--trigger-latency-ms', String(TRIGGER_LATENCY_MS), ...args] });
  subjects.push(stack);
  const api = client(stack.url);
  const confirmed: string[] = [];
  const unconfirmed: string[] = [];
  const invited: string[] = [];
  const config = (await api.call('GET', '/_local/config')).body;
  const cognito = new CognitoIdentityProviderClient({
    endpoint: config.cognitoEndpoint,
    region: config.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  for (let i = 0; i < USERS; i++) {
    const email = uniqueEmail('timing-invited');
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: config.userPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    invited.push(email);
  }
  cognito.destroy();
  for (let i = 0; i < USERS; i++) {
    const email = uniqueEmail('timing-confirmed');
    expect((await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD })).status).toBe(201);
    const code = await api.latestCode(email);
    expect((await api.call('POST', '/auth/sign-up/confirm', { username: email, code })).status).toBe(204);
    confirmed.push(email);
    const pending = uniqueEmail('timing-unconfirmed');
    expect((await api.call('POST', '/auth/sign-up', { username: pending, password: PASSWORD })).status).toBe(201);
    unconfirmed.push(pending);
  }
  return { stack, api, confirmed, unconfirmed, invited };
}

const wrongCode = '000000';

/** The request for `username` on `route`: for reset and confirm, a wrong code. */
const request = (route: Route, username: string): [string, object] => {
  switch (route) {
    case 'forgot':
    case 'invited':
      return ['/password/forgot', { username }];
    case 'resend':
      return ['/auth/sign-up/resend', { username }];
    case 'reset':
      return ['/password/reset', { username, code: wrongCode, password: PASSWORD }];
    case 'confirm':
      return ['/auth/sign-up/confirm', { username, code: wrongCode }];
    case 'signUp':
      return ['/auth/sign-up', { username, password: PASSWORD }];
  }
};

/**
 * Existing users: forgot mails a code to a confirmed user, resend to an unconfirmed one (both run the trigger);
 * reset tries a wrong code on a confirmed user (with a pending code once forgot ran), confirm on an unconfirmed;
 * invited: forgot for a user who never signed in, which ForgotPassword refuses and the BFF answers with
 * AdminCreateUser RESEND (a new temporary password and the trigger): two calls, inside the same floor.
 */
const existing = (s: Subject, route: Route, i: number) =>
  (route === 'invited'
    ? s.invited
    : route === 'forgot' || route === 'reset' || route === 'signUp'
      ? s.confirmed
      : s.unconfirmed)[Math.floor(i / USES_PER_USER)] as string;

async function timed(api: Api, route: Route, username: string) {
  const [path, body] = request(route, username);
  const started = performance.now();
  const answer = await api.call('POST', path, body);
  const ms = performance.now() - started;
  return { ms, shape: `${answer.status} ${answer.body?.code ?? Object.keys(answer.body ?? {}).join(',')}` };
}

/** The middle of the sorted values (the mean of the two middle ones for an even count). */
const middle = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[half] ?? NaN) : ((sorted[half - 1] ?? NaN) + (sorted[half] ?? NaN)) / 2;
};

/**
 * The median difference of paired samples as the Wilcoxon signed-rank test estimates it (Hodges-Lehmann): the
 * median of the means of every two paired differences, each with itself included. It shrugs off outliers like a
 * median, wastes less of 40 samples than a plain median does on a busy machine, and it pairs differences of
 * both orders, so an order effect within a pair (the second request a little faster or slower) cancels.
 */
function medianDifference(gaps: readonly number[]): number {
  const means: number[] = [];
  for (let i = 0; i < gaps.length; i++)
    for (let j = i; j < gaps.length; j++) means.push(((gaps[i] ?? 0) + (gaps[j] ?? 0)) / 2);
  return middle(means);
}

/** SAMPLES pairs (existing, unknown), alternating which of the two goes first; differences existing - unknown. */
async function measure(s: Subject, route: Route) {
  for (let i = 0; i < 2; i++) await timed(s.api, route, uniqueEmail('timing-warm')); // warm the function
  const gaps: number[] = [];
  const times = { existing: [] as number[], unknown: [] as number[] };
  const shapes = new Set<string>();
  for (let i = 0; i < SAMPLES; i++) {
    const pair = [
      ['existing', existing(s, route, i)],
      ['unknown', uniqueEmail('timing-unknown')],
    ] as const;
    const ordered = i % 2 === 0 ? pair : ([pair[1], pair[0]] as const);
    const sample: Record<string, number> = {};
    for (const [kind, username] of ordered) {
      const { ms, shape } = await timed(s.api, route, username);
      sample[kind] = ms;
      times[kind].push(ms);
      shapes.add(shape);
    }
    gaps.push((sample.existing ?? 0) - (sample.unknown ?? 0));
  }
  return {
    gap: medianDifference(gaps),
    // How much the first request of a pair took longer than the second: an order effect, cancelled above.
    order: middle(gaps.map((gap, i) => (i % 2 === 0 ? gap : -gap))),
    existing: middle(times.existing),
    unknown: middle(times.unknown),
    shapes: [...shapes],
  };
}

const fixed = (n: number) => n.toFixed(2);

let floored: Subject;
let bare: Subject;
/** With bff:hideDuplicateSignUp (which needs bff:email: the notice goes through SES, locally the outbox). */
let hiding: Subject;
const HIDE_DUPLICATES = [
  '-c',
  'bff:email={"from":"no-reply@example.com","fromName":"Example"}',
  '-c',
  'bff:hideDuplicateSignUp=true',
];

beforeAll(async () => {
  // The floor of the settings (cdk.json, as deployed), and a control with the floor off.
  floored = await subject([]);
  bare = await subject(['-c', 'bff:responseFloorMs=0']);
  hiding = await subject(HIDE_DUPLICATES);
});

afterAll(async () => {
  for (const stack of subjects) {
    await stack.stop();
    removeDir(stack.dataDir);
  }
});

describe('timing parity, existing vs unknown users', () => {
  it.each(['forgot', 'resend'] as const)(
    'control, floor off: %s shows the trigger latency, so the measurement can see a difference',
    async (route) => {
      const result = await measure(bare, route);
      record('timing', `${route} median gap, floor off`, `${fixed(result.gap)} ms`);
      expect(result.shapes).toHaveLength(1);
      expect(result.gap).toBeGreaterThan(TRIGGER_LATENCY_MS / 2);
    },
  );

  it.each(['forgot', 'resend', 'reset', 'confirm', 'invited', 'signUp'] as const)(
    '%s: the median paired difference is under 2 ms with the floor',
    async (route) => {
      const result = await measure(route === 'signUp' ? hiding : floored, route);
      record(
        'timing',
        `${route} median gap, floor on`,
        `${fixed(result.gap)} ms (medians: existing ${fixed(result.existing)}, unknown ${fixed(result.unknown)}, ` +
          `first - second of a pair ${fixed(result.order)}; ${result.shapes.join(' | ')})`,
      );
      expect(result.shapes).toHaveLength(1);
      expect(Math.abs(result.gap)).toBeLessThan(MAX_MEDIAN_GAP_MS);
    },
  );
});
