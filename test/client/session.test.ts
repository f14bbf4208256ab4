/**
 * The session manager in cookie mode, against a fake fetch that plays the pinned cookie contract
 * (./contract-bff.ts): the real BFF's cookie mode is another branch; once merged, the browser tests run the
 * same flows end to end. Token mode runs against the real local stack in session-stack.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { ProblemError, type SessionEvent, createSession } from '../../client';
import { contractBff, fakeChannels, fakeLocks, manualScheduler } from './contract-bff';

const BASE = 'https://bff.example/v1';
const T0 = 1_800_000_000_000;

function tab(bff: ReturnType<typeof contractBff>, extra: Partial<Parameters<typeof createSession>[0]> = {}) {
  const timers = manualScheduler();
  const events: SessionEvent['type'][] = [];
  const session = createSession({
    baseUrl: BASE,
    fetch: bff.fetch,
    now: () => T0,
    schedule: timers.schedule,
    locks: null,
    channel: null,
    ...extra,
  });
  session.onChange((event) => events.push(event.type));
  return { session, timers, events };
}

describe('cookie mode (default)', () => {
  it('signs in with the header and the cookies, and never sees a token', async () => {
    const bff = contractBff();
    const { session, events } = tab(bff);
    expect(session.mode).toBe('cookie');
    expect(session.state).toEqual({ status: 'unknown' });
    expect(await session.signIn({ username: 'jane@example.com', password: 'right' })).toEqual({
      status: 'signedIn',
      expiresAt: T0 + 3600_000,
    });
    expect(await session.getMe()).toMatchObject({ username: 'sub-1' });
    expect(events).toEqual(['signedIn']);
    expect(await session.accessToken()).toBeUndefined();
    for (const request of bff.seen) {
      expect(request.headers['x-bff-session']).toBe('cookie');
      expect(request.credentials).toBe('include');
      expect(request.headers.authorization).toBeUndefined();
    }
  });

  it('restores the session on reload from the cookies: GET /me answers 200', async () => {
    const bff = contractBff();
    await tab(bff).session.signIn({ username: 'jane@example.com', password: 'right' });
    const reloaded = tab(bff);
    expect(await reloaded.session.restore()).toEqual({ status: 'signedIn' });
    expect(reloaded.events).toEqual(['signedIn']);
    expect(bff.count('POST', '/auth/refresh')).toBe(0);
  });

  it('restores an expired access cookie: 401, then one refresh with {}, then GET /me again', async () => {
    const bff = contractBff();
    await tab(bff).session.signIn({ username: 'jane@example.com', password: 'right' });
    bff.expireAccess();
    const reloaded = tab(bff);
    expect((await reloaded.session.restore()).status).toBe('signedIn');
    expect(bff.seen.slice(-3).map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual([
      'GET /me 401',
      'POST /auth/refresh 200',
      'GET /me 200',
    ]);
    expect(bff.seen.find((s) => s.path === '/auth/refresh')?.body).toBe('{}');
  });

  it('is signed out on reload when neither cookie works, after exactly one refresh', async () => {
    const bff = contractBff();
    const { session, events } = tab(bff);
    expect(await session.restore()).toEqual({ status: 'signedOut' });
    expect(bff.count('POST', '/auth/refresh')).toBe(1);
    expect(bff.count('GET', '/me')).toBe(1);
    expect(events.at(-1)).toMatch(/signedOut|expired/);
  });

  it('retries a call once after a 401 that a refresh fixes, with one refresh for concurrent calls', async () => {
    const bff = contractBff();
    const { session, events } = tab(bff);
    await session.signIn({ username: 'jane@example.com', password: 'right' });
    bff.expireAccess();
    const release = bff.holdRefresh();
    const calls = Promise.all([session.getMe(), session.getMe(), session.getMe()]);
    // Let the three 401s arrive and the (held) refresh start.
    await bff.arrival('POST', '/auth/refresh');
    release();
    expect((await calls).map((me) => me.username)).toEqual(['sub-1', 'sub-1', 'sub-1']);
    expect(bff.count('POST', '/auth/refresh')).toBe(1);
    expect(bff.count('GET', '/me')).toBe(6);
    expect(events).toEqual(['signedIn', 'refreshed']);
  });

  it('gives the 401 back and signs out when the refresh does not fix it (no second retry)', async () => {
    const bff = contractBff();
    const { session, events } = tab(bff);
    await session.signIn({ username: 'jane@example.com', password: 'right' });
    bff.revokeAll();
    const failure = await session.getMe().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProblemError);
    expect(failure).toMatchObject({ status: 401, code: 'NotAuthorized' });
    expect(bff.count('GET', '/me')).toBe(1);
    expect(bff.count('POST', '/auth/refresh')).toBe(1);
    expect(session.state).toEqual({ status: 'signedOut' });
    expect(events).toEqual(['signedIn', 'expired']);
  });

  it('refreshes ahead of expiry on its timer', async () => {
    const bff = contractBff({ expiresIn: 600 });
    let now = T0;
    const { session, timers, events } = tab(bff, { refreshAheadSeconds: 90, now: () => now });
    await session.signIn({ username: 'jane@example.com', password: 'right' });
    expect(timers.pending()).toEqual([510_000]);
    now = T0 + 510_000;
    timers.runAll();
    await bff.arrival('POST', '/auth/refresh');
    for (let turn = 0; turn < 10_000 && events.length < 2; turn++) await new Promise((r) => setImmediate(r));
    expect(bff.count('POST', '/auth/refresh')).toBe(1);
    expect(events).toEqual(['signedIn', 'refreshed']);
    expect(session.state).toEqual({ status: 'signedIn', expiresAt: now + 600_000 });
    expect(timers.pending()).toEqual([510_000]);
  });

  it('refreshes before a call when the token is inside the refresh-ahead window', async () => {
    const bff = contractBff({ expiresIn: 600 });
    let now = T0;
    const { session, events } = tab(bff, { now: () => now });
    await session.signIn({ username: 'jane@example.com', password: 'right' });
    now = T0 + 560_000;
    await session.getMe();
    expect(bff.seen.slice(-2).map((s) => `${s.method} ${s.path}`)).toEqual(['POST /auth/refresh', 'GET /me']);
    expect(events).toEqual(['signedIn', 'refreshed']);
    expect(session.state).toEqual({ status: 'signedIn', expiresAt: now + 600_000 });
  });

  it('refreshes once across tabs: the Web Lock orders them and the second tab hears of the first', async () => {
    const bff = contractBff({ expiresIn: 600 });
    let now = T0;
    const locks = fakeLocks();
    const channel = fakeChannels();
    const a = tab(bff, { now: () => now, locks, channel: channel() });
    const b = tab(bff, { now: () => now, locks, channel: channel() });
    await a.session.signIn({ username: 'jane@example.com', password: 'right' });
    expect(b.session.state).toEqual({ status: 'signedIn', expiresAt: T0 + 600_000 });
    now = T0 + 560_000;
    const release = bff.holdRefresh();
    const both = Promise.all([a.session.getMe(), b.session.getMe()]);
    await bff.arrival('POST', '/auth/refresh');
    release();
    await both;
    expect(locks.requests).toBe(2);
    expect(bff.count('POST', '/auth/refresh')).toBe(1);
    expect(b.events).toEqual(['signedIn', 'refreshed']);
  });

  it('tells other tabs of a sign-out', async () => {
    const bff = contractBff();
    const channel = fakeChannels();
    const a = tab(bff, { channel: channel() });
    const b = tab(bff, { channel: channel() });
    await a.session.signIn({ username: 'jane@example.com', password: 'right' });
    await a.session.signOut();
    expect(bff.jar).toEqual({});
    expect(b.session.state).toEqual({ status: 'signedOut' });
    expect(b.events).toEqual(['signedIn', 'signedOut']);
  });

  it('answers NEW_PASSWORD_REQUIRED with the challenge username, then is signed in', async () => {
    const bff = contractBff();
    const { session, events } = tab(bff);
    const state = await session.signIn({ username: 'invited@example.com', password: 'temporary' });
    expect(state).toMatchObject({ status: 'challenge', challenge: { name: 'NEW_PASSWORD_REQUIRED' } });
    await session.completeNewPassword('N3w-Staple-Battery-Horse!');
    expect(JSON.parse(bff.seen.at(-1)?.body ?? '{}')).toMatchObject({ username: 'sub-1' });
    expect(session.state.status).toBe('signedIn');
    expect(events).toEqual(['challenge', 'signedIn']);
  });

  it('keeps the session through a password change and ends it with the account', async () => {
    const bff = contractBff();
    const { session, events } = tab(bff);
    await session.signIn({ username: 'jane@example.com', password: 'right' });
    await session.changePassword({ previousPassword: 'right', proposedPassword: 'N3w-Staple-Battery-Horse!' });
    expect((await session.getMe()).username).toBe('sub-1');
    await session.deleteAccount();
    expect(session.state).toEqual({ status: 'signedOut' });
    expect(events).toEqual(['signedIn', 'refreshed', 'signedOut']);
  });
});
