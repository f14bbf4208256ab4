/**
 * The session manager: sign-in state on top of the calls, in either mode.
 *
 * - Cookie mode (default, browsers): the tokens never reach script; they live in the BFF's HttpOnly cookies
 *   and every request carries `X-BFF-Session: cookie` with the browser's cookies. {@link Session.restore}
 *   finds the session again after a reload: `GET /me`, on a 401 one `POST /auth/refresh` `{}` and `GET /me`
 *   again, else signed out.
 * - Token mode (native apps, servers): the access and refresh tokens are held in memory only, never in
 *   storage; a reload signs out.
 *
 * Either way the access token is refreshed ahead of its expiry, by one refresh at a time (in this tab, and
 * across tabs through Web Locks where the browser has them), a call that gets a 401 is retried once after a
 * refresh that worked, and every change of state is told to the listeners of {@link Session.onChange}.
 */
import { type ClientOptions, ProblemError, createClient } from './index';
import type {
  Challenge,
  ChangeBody,
  CookieSession,
  PasswordPolicy,
  SessionMode,
  SignInBody,
  Tokens,
  UpdateAttributesBody,
  VerificationCodeBody,
  VerifyAttributeBody,
} from './types';

export type SessionState =
  /** Before {@link Session.restore} has answered (cookie mode). */
  | { readonly status: 'unknown' }
  | { readonly status: 'signedOut' }
  | { readonly status: 'challenge'; readonly challenge: Challenge }
  /** `expiresAt` (ms since the epoch): when the access token expires, when known. */
  | { readonly status: 'signedIn'; readonly expiresAt?: number };

export interface SessionEvent {
  /** `expired`: a refresh failed, so the session is over (signed out without asking). */
  readonly type: 'signedIn' | 'refreshed' | 'challenge' | 'signedOut' | 'expired';
  readonly state: SessionState;
}

/** The part of the Web Locks API the manager uses (navigator.locks). */
export interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The part of BroadcastChannel the manager uses: tabs tell each other of refreshes and sign-outs. */
export interface Channel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close?(): void;
}

export interface SessionOptions extends Omit<ClientOptions<SessionMode>, 'accessToken' | 'mode'> {
  /** @default 'cookie' */
  readonly mode?: SessionMode;
  /** Refresh this many seconds before the access token expires. @default 60 */
  readonly refreshAheadSeconds?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** Runs `callback` after `ms`; returns a cancel function. @default setTimeout */
  readonly schedule?: (callback: () => void, ms: number) => () => void;
  /** Web Locks for one refresh across tabs; null for none. @default navigator.locks where it exists */
  readonly locks?: Locks | null;
  /** Tells other tabs of the same origin (cookie mode); null for none. @default a BroadcastChannel */
  readonly channel?: Channel | null;
  /** Name of the lock and the channel. @default 'password-bff-session' */
  readonly name?: string;
}

type Listener = (event: SessionEvent) => void;

const isChallenge = (answer: object): answer is { challenge: Challenge } => 'challenge' in answer;

export function createSession(options: SessionOptions) {
  const mode: SessionMode = options.mode ?? 'cookie';
  const name = options.name ?? 'password-bff-session';
  const now = options.now ?? Date.now;
  const aheadMs = (options.refreshAheadSeconds ?? 60) * 1000;
  const schedule =
    options.schedule ??
    ((callback: () => void, ms: number) => {
      const timer = setTimeout(callback, ms);
      return () => clearTimeout(timer);
    });
  const g = globalThis as { navigator?: { locks?: Locks }; BroadcastChannel?: new (name: string) => Channel };
  const locks = options.locks === undefined ? (g.navigator?.locks ?? null) : options.locks;
  const channel =
    options.channel === undefined
      ? mode === 'cookie' && g.BroadcastChannel
        ? new g.BroadcastChannel(name)
        : null
      : options.channel;

  /** Token mode only: the tokens, in this object and nowhere else. */
  let tokens: { access: string; refresh?: string } | undefined;
  let state: SessionState = mode === 'cookie' ? { status: 'unknown' } : { status: 'signedOut' };
  let cancelTimer: (() => void) | undefined;
  let inFlight: Promise<boolean> | undefined;
  const listeners = new Set<Listener>();

  const api = createClient<SessionMode>({
    ...options,
    mode,
    accessToken: () => tokens?.access,
  });

  function set(next: SessionState, type: SessionEvent['type'], tell = true) {
    state = next;
    cancelTimer?.();
    cancelTimer = undefined;
    if (next.status === 'signedIn' && next.expiresAt !== undefined) {
      cancelTimer = schedule(() => void refresh({ ahead: true }), Math.max(0, next.expiresAt - aheadMs - now()));
    }
    if (next.status !== 'signedIn') tokens = undefined;
    if (tell && channel && (type === 'signedIn' || type === 'refreshed' || type === 'signedOut')) {
      channel.postMessage({ type, ...(next.status === 'signedIn' ? { expiresAt: next.expiresAt } : {}) });
    }
    const event = { type, state: next };
    for (const listener of [...listeners]) listener(event);
  }

  channel?.addEventListener('message', ({ data }) => {
    const message = data as { type?: string; expiresAt?: number };
    if (message.type === 'signedOut' && state.status !== 'signedOut') set({ status: 'signedOut' }, 'signedOut', false);
    if (message.type === 'signedIn' || message.type === 'refreshed') {
      const at = typeof message.expiresAt === 'number' ? { expiresAt: message.expiresAt } : {};
      set({ status: 'signedIn', ...at }, state.status === 'signedIn' ? 'refreshed' : 'signedIn', false);
    }
  });

  /** A session answer of either mode becomes the state. */
  function started(answer: Tokens | CookieSession, type: 'signedIn' | 'refreshed') {
    if (!('mode' in answer)) {
      tokens = { access: answer.accessToken, refresh: answer.refreshToken ?? tokens?.refresh };
    }
    set({ status: 'signedIn', expiresAt: now() + answer.expiresIn * 1000 }, type);
  }

  const fresh = () => state.status === 'signedIn' && state.expiresAt !== undefined && state.expiresAt - aheadMs > now();

  /**
   * One refresh at a time: callers that come while one runs share it; across tabs the Web Lock orders them, and
   * a tab that waited for another tab's refresh (told through the channel) does not refresh again.
   * True when the session goes on.
   */
  function refresh(how: { ahead?: boolean } = {}): Promise<boolean> {
    inFlight ??= (async () => {
      try {
        const run = async () => {
          if (how.ahead && fresh()) return true;
          if (mode === 'token' && !tokens?.refresh) return false;
          try {
            const answer = await (mode === 'cookie'
              ? (api.refresh as (b?: object) => Promise<CookieSession>)()
              : (api.refresh as (b: { refreshToken: string }) => Promise<Tokens>)({
                  refreshToken: tokens?.refresh ?? '',
                }));
            started(answer, state.status === 'signedIn' ? 'refreshed' : 'signedIn');
            return true;
          } catch (error) {
            if (error instanceof ProblemError && (error.status === 401 || error.status === 400)) {
              if (state.status !== 'signedOut') set({ status: 'signedOut' }, 'expired');
              return false;
            }
            throw error;
          }
        };
        return locks && mode === 'cookie' ? await locks.request(name, run) : await run();
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  /** A call that needs the session: refreshed first when the token is about to expire, retried once after a 401. */
  async function authed<T>(call: () => Promise<T>): Promise<T> {
    if (state.status === 'signedIn' && state.expiresAt !== undefined && !fresh()) await refresh({ ahead: true });
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ProblemError) || error.status !== 401 || state.status !== 'signedIn') throw error;
      if (!(await refresh())) throw error;
      return call();
    }
  }

  const session = {
    mode,
    /** The current state. */
    get state(): SessionState {
      return state;
    },
    /** Listens to every change of state; returns the function that stops listening. */
    onChange(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Cookie mode: finds the session the cookies hold (after a reload). Token mode: the current state. */
    async restore(): Promise<SessionState> {
      if (mode === 'token') return state;
      try {
        await api.getMe();
        set({ status: 'signedIn' }, 'signedIn');
      } catch (error) {
        if (!(error instanceof ProblemError) || error.status !== 401) throw error;
        const refreshed = await refresh().catch(() => false);
        if (refreshed) {
          await api.getMe();
        } else if (state.status !== 'signedOut') {
          set({ status: 'signedOut' }, 'signedOut');
        }
      }
      return state;
    },

    async signIn(body: SignInBody): Promise<SessionState> {
      const answer = await api.signIn(body);
      if (isChallenge(answer)) set({ status: 'challenge', challenge: answer.challenge }, 'challenge');
      else started(answer, 'signedIn');
      return state;
    },

    /** Answers NEW_PASSWORD_REQUIRED of the last sign-in. */
    async completeNewPassword(newPassword: string): Promise<SessionState> {
      if (state.status !== 'challenge') throw new Error('There is no challenge to answer: sign in first.');
      const { session: challengeSession, username } = state.challenge;
      started(await api.newPassword({ username, session: challengeSession, newPassword }), 'signedIn');
      return state;
    },

    /** Every session of the user ends with the change; the answer is this one's new session. */
    async changePassword(body: ChangeBody): Promise<SessionState> {
      started(await authed(() => api.changePassword(body)), 'refreshed');
      return state;
    },

    /** Signs out everywhere (every refresh token revoked); signed out here even when the BFF cannot be reached. */
    async signOut(): Promise<void> {
      try {
        if (state.status === 'signedIn') await authed(() => api.signOut());
      } finally {
        set({ status: 'signedOut' }, 'signedOut');
      }
    },

    async deleteAccount(): Promise<void> {
      await authed(() => api.deleteMe());
      set({ status: 'signedOut' }, 'signedOut');
    },

    /** Refreshes now (one refresh at a time); false when the session is over. */
    refresh: () => refresh(),

    /** Token mode: a valid access token (refreshed first when about to expire), for the app's own APIs. */
    async accessToken(): Promise<string | undefined> {
      if (mode === 'cookie') return undefined;
      if (state.status === 'signedIn' && !fresh()) await refresh({ ahead: true });
      return tokens?.access;
    },

    getMe: () => authed(() => api.getMe()),
    updateAttributes: (body: UpdateAttributesBody) => authed(() => api.updateAttributes(body)),
    verifyAttribute: (body: VerifyAttributeBody) => authed(() => api.verifyAttribute(body)),
    sendVerificationCode: (body: VerificationCodeBody) => authed(() => api.sendVerificationCode(body)),
    adminResetPassword: (username: string) => authed(() => api.adminResetPassword(username)),

    // The routes that need no session.
    signUp: api.signUp,
    confirmSignUp: api.confirmSignUp,
    resendSignUpCode: api.resendSignUpCode,
    forgotPassword: api.forgotPassword,
    resetPassword: api.resetPassword,
    passwordPolicy: (): Promise<PasswordPolicy> => api.passwordPolicy(),

    /** Stops the timer and the channel. */
    dispose(): void {
      cancelTimer?.();
      channel?.close?.();
      listeners.clear();
    },
  };
  return session;
}

export type Session = ReturnType<typeof createSession>;
