/**
 * Every 429 that remains (the signed-in routes' per-user limits, the throttle: see local-guard.test.ts) carries
 * the Retry-After of one setting, bff:retryAfterSeconds, and locally that setting is also the window that refused
 * the request: a client that waits as long as Retry-After says is let through (#25.2; ROUND2). Time moves through
 * the manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultSettings } from '../../lambdas/shared/settings';
import { PASSWORD, type RunningStack, client, removeDir, startStack, uniqueEmail } from '../support/stack';

const RETRY_AFTER = String(defaultSettings.retryAfterSeconds);
let manual: RunningStack;

beforeAll(async () => {
  // Cognito's own per-user limit is what is measured here: the BFF's cap, which would refuse first, is off (it has
  // its own test, takeover.test.ts).
  manual = await startStack({ args: ['--manual-clock', '-c', 'bff:verificationCodeCap={"max":0,"windowMinutes":60}'] });
});

afterAll(async () => {
  await manual?.stop();
  if (manual) removeDir(manual.dataDir);
});

type Api = ReturnType<typeof client>;

async function signedIn(api: Api) {
  const email = uniqueEmail('retry');
  expect((await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD })).status).toBe(201);
  const code = await api.latestCode(email);
  expect((await api.call('POST', '/auth/sign-up/confirm', { username: email, code })).status).toBe(204);
  const tokens = (await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD })).body;
  return { email, token: tokens.accessToken as string };
}

/** Calls until the first 429 (at most `max` calls); that answer. */
async function untilRefused(max: number, send: () => ReturnType<Api['call']>) {
  for (let i = 0; i < max; i++) {
    const answer = await send();
    if (answer.status === 429) return answer;
  }
  throw new Error(`no 429 in ${max} calls`);
}

const advance = (api: Api, seconds: number) => api.call('POST', '/_local/clock', { advanceMs: seconds * 1000 });

describe('Retry-After is true locally', () => {
  it('on the per-user limit of verification codes: the same request goes through once it has waited', async () => {
    const api = client(manual.url);
    const { token } = await signedIn(api);
    const send = () => api.call('POST', '/me/attributes/verification-code', { attribute: 'email' }, { token });
    const refused = await untilRefused(20, send);
    expect(refused.body.code).toBe('LimitExceeded');
    expect(refused.headers.get('retry-after')).toBe(RETRY_AFTER);
    expect((await send()).status).toBe(429);
    expect((await advance(api, Number(RETRY_AFTER))).status).toBe(200);
    expect((await send()).status).toBe(202);
  });

  it('on the ChangePassword quota: the same request goes through once it has waited', async () => {
    const api = client(manual.url);
    const { token } = await signedIn(api);
    const wrong = () =>
      api.call(
        'POST',
        '/password/change',
        { previousPassword: 'Wr0ng-Password!!', proposedPassword: PASSWORD },
        { token },
      );
    const refused = await untilRefused(20, wrong);
    expect(refused.body.code).toBe('LimitExceeded');
    expect(refused.headers.get('retry-after')).toBe(RETRY_AFTER);
    expect((await advance(api, Number(RETRY_AFTER))).status).toBe(200);
    // Counted again, and refused for the wrong password only.
    expect((await wrong()).status).toBe(403);
  });
});
