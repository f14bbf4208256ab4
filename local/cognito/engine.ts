import { DUMMY_HASH, hashCode, newCode, newId, safeEqual, secretHash, verifyPassword } from './crypto';
import {
  type CodePurpose,
  type CognitoState,
  CognitoError,
  type StoredClient,
  type StoredPool,
  type StoredUser,
  err,
  own,
} from './model';
import { JsonStore, stateFile } from '../store';

/** A Lambda-style trigger handler registered in process: the same module as in AWS. */
export type TriggerHandler = (event: never, context: never) => Promise<unknown>;

export interface LocalCognitoOptions {
  /** Folder for `cognito.json`; memory-only when absent. */
  readonly dataDir?: string;
  readonly region?: string;
  /** Injectable clock (ms since epoch), so tests can reach expiry. */
  readonly now?: () => number;
  /** Function ARN (as in LambdaConfig) -> handler. */
  readonly triggers?: Record<string, TriggerHandler>;
  /** @default 5000, Cognito's trigger timeout */
  readonly triggerTimeoutMs?: number;
}

export const CODE_TTL_MS = { signUp: 24 * 3600_000, forgotPassword: 3600_000, verify: 24 * 3600_000 } as const;
export const MAX_CODE_ATTEMPTS = 5;
export const MAX_SIGN_IN_FAILURES = 5;
export const MAX_CODE_REQUESTS_PER_HOUR = 10;

type Metadata = Record<string, string> | undefined;

/** Shared machinery of the operations: lookups, checks, codes, messages. */
export class Engine {
  readonly store: JsonStore<CognitoState>;
  readonly region: string;
  readonly now: () => number;
  readonly triggers: Record<string, TriggerHandler>;
  readonly triggerTimeoutMs: number;
  /** Set by the server once it listens: tokens' `iss` is `${issuerBase}/${poolId}`. */
  issuerBase = 'http://127.0.0.1';

  constructor(options: LocalCognitoOptions = {}) {
    this.store = new JsonStore<CognitoState>(stateFile(options.dataDir, 'cognito.json'), () => ({
      version: 1,
      pools: {},
      outbox: [],
    }));
    this.region = options.region ?? 'us-east-1';
    this.now = options.now ?? Date.now;
    this.triggers = options.triggers ?? {};
    this.triggerTimeoutMs = options.triggerTimeoutMs ?? 5000;
  }

  pool(id: unknown): StoredPool {
    const pool = own(this.store.data.pools, id);
    if (!pool) throw err.resourceNotFound(`User pool ${String(id)} does not exist.`);
    return pool;
  }

  client(clientId: unknown, poolId?: unknown): { pool: StoredPool; client: StoredClient } {
    const pools = poolId === undefined ? Object.values(this.store.data.pools) : [this.pool(poolId)];
    for (const pool of pools) {
      const client = own(pool.clients, clientId);
      if (client) return { pool, client };
    }
    throw err.resourceNotFound(`User pool client ${String(clientId)} does not exist.`);
  }

  /** By username, or by email for pools that sign in with email. Case-insensitive like Cognito's default. */
  findUser(pool: StoredPool, name: string): StoredUser | undefined {
    const direct = own(pool.users, name) ?? own(pool.users, name.toLowerCase());
    if (direct) return direct;
    if (!pool.usernameAttributes.includes('email')) return undefined;
    const email = name.toLowerCase();
    return Object.values(pool.users).find((u) => u.attributes.email?.toLowerCase() === email);
  }

  requireUser(pool: StoredPool, name: string): StoredUser {
    const user = this.findUser(pool, name);
    if (!user) throw err.userNotFound();
    return user;
  }

  preventsExistenceErrors = (client: StoredClient) => client.preventUserExistenceErrors === 'ENABLED';

  /** SecretHash = Base64(HMAC-SHA256(secret, username + clientId)), required for secret clients. */
  checkSecretHash(client: StoredClient, usernames: readonly string[], given: unknown): void {
    if (!client.clientSecret) return;
    const secret = client.clientSecret;
    const ok =
      typeof given === 'string' &&
      usernames.some((name) => safeEqual(secretHash(name, client.clientId, secret), given));
    if (!ok) {
      throw err.notAuthorized(
        given === undefined
          ? `Client ${client.clientId} is configured with secret but SECRET_HASH was not received`
          : `Unable to verify secret hash for client ${client.clientId}`,
      );
    }
  }

  checkPasswordPolicy(pool: StoredPool, password: string): void {
    const p = pool.policy;
    if (password.length < p.minimumLength) throw err.invalidPassword('Password not long enough');
    if (p.requireLowercase && !/[a-z]/.test(password)) {
      throw err.invalidPassword('Password must have lowercase characters');
    }
    if (p.requireUppercase && !/[A-Z]/.test(password)) {
      throw err.invalidPassword('Password must have uppercase characters');
    }
    if (p.requireNumbers && !/[0-9]/.test(password)) throw err.invalidPassword('Password must have numeric characters');
    if (p.requireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password)) {
      throw err.invalidPassword('Password must have symbol characters');
    }
  }

  /** Verifies a password in constant-ish time whether or not the user exists. */
  async passwordMatches(user: StoredUser | undefined, password: string): Promise<boolean> {
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    return ok && user !== undefined;
  }

  /** Counts a delivery request against the per-user hourly limit. */
  countCodeRequest(user: StoredUser): void {
    const hourAgo = this.now() - 3600_000;
    user.codeRequests = user.codeRequests.filter((t) => t > hourAgo);
    if (user.codeRequests.length >= MAX_CODE_REQUESTS_PER_HOUR) throw err.limitExceeded();
    user.codeRequests.push(this.now());
  }

  /** A fresh code for `purpose` (replacing any earlier one), with that purpose's lifetime. */
  private issueCode(user: StoredUser, purpose: CodePurpose): string {
    const code = newCode();
    const ttlMs =
      purpose === 'signUp'
        ? CODE_TTL_MS.signUp
        : purpose === 'forgotPassword'
          ? CODE_TTL_MS.forgotPassword
          : CODE_TTL_MS.verify;
    user.codes[purpose] = { hash: hashCode(code), expiresAt: this.now() + ttlMs, failedAttempts: 0 };
    return code;
  }

  /** Issues a code for `purpose` and delivers it to `to`. */
  sendCode(purpose: CodePurpose, args: Omit<Parameters<Engine['deliverCode']>[0], 'code'>) {
    return this.deliverCode({ ...args, code: this.issueCode(args.user, purpose) });
  }

  /**
   * Checks a code: single use, expiring, and `tooMany` once the attempts are spent.
   * Returns a function that consumes it, to call only when the whole operation succeeds.
   */
  checkCode(user: StoredUser, purpose: CodePurpose, code: string, tooMany: () => CognitoError): () => void {
    const stored = user.codes[purpose];
    if (!stored) throw err.expiredCode();
    if (stored.failedAttempts >= MAX_CODE_ATTEMPTS) throw tooMany();
    if (stored.expiresAt <= this.now()) {
      delete user.codes[purpose];
      throw err.expiredCode();
    }
    if (!safeEqual(stored.hash, hashCode(code))) {
      stored.failedAttempts += 1;
      throw err.codeMismatch();
    }
    return () => {
      delete user.codes[purpose];
    };
  }

  publicAttributes(user: StoredUser): { Name: string; Value: string }[] {
    return Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }));
  }

  private triggerEvent(
    pool: StoredPool,
    clientId: string,
    user: StoredUser,
    triggerSource: string,
    request: Record<string, unknown>,
    clientMetadata: Metadata,
  ) {
    return {
      version: '1',
      region: this.region,
      userPoolId: pool.id,
      userName: user.username,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      triggerSource,
      request: {
        userAttributes: { ...user.attributes, 'cognito:user_status': user.status },
        ...request,
        ...(clientMetadata && Object.keys(clientMetadata).length > 0 ? { clientMetadata } : {}),
      },
      response: {} as Record<string, unknown>,
    };
  }

  /** Runs a trigger like Cognito: 5 s budget, failures reported with Cognito's exception names. */
  private async invokeTrigger(kind: 'CustomMessage' | 'PostConfirmation', arn: string, event: unknown) {
    const handler = this.triggers[arn];
    if (!handler) throw new CognitoError('UnexpectedLambdaException', `${kind} invocation failed: function not found.`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CognitoError('UnexpectedLambdaException', `${kind} invocation failed due to timeout.`)),
        this.triggerTimeoutMs,
      );
    });
    const context = { functionName: arn.split(':').pop(), getRemainingTimeInMillis: () => this.triggerTimeoutMs };
    try {
      return await Promise.race([handler(event as never, context as never), timeout]);
    } catch (error) {
      if (error instanceof CognitoError) throw error;
      throw new CognitoError('UserLambdaValidationException', `${kind} failed with error ${(error as Error).message}.`);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Delivers a code by email like Cognito: CustomMessage trigger (if any) builds the text, the
   * placeholders are checked and replaced, the message goes to the outbox.
   */
  async deliverCode(args: {
    pool: StoredPool;
    clientId: string;
    user: StoredUser;
    triggerSource: string;
    code: string;
    to: string;
    clientMetadata: Metadata;
  }): Promise<{ Destination: string; DeliveryMedium: 'EMAIL'; AttributeName: 'email' }> {
    const { pool, user, triggerSource, code, to } = args;
    const adminCreate = triggerSource === 'CustomMessage_AdminCreateUser';
    const request = {
      codeParameter: '{####}',
      linkParameter: '{##Click Here##}',
      usernameParameter: adminCreate ? '{username}' : null,
    };
    let subject = adminCreate ? 'Your temporary password' : 'Your verification code';
    let body = adminCreate
      ? 'Your username is {username} and temporary password is {####}.'
      : 'Your verification code is {####}.';
    const arn = pool.lambdaConfig.CustomMessage;
    if (arn) {
      const event = this.triggerEvent(pool, args.clientId, user, triggerSource, request, args.clientMetadata);
      event.response = { smsMessage: null, emailMessage: null, emailSubject: null };
      const answer = (await this.invokeTrigger('CustomMessage', arn, event)) as typeof event | undefined;
      const response = answer?.response ?? {};
      const emailMessage = response.emailMessage;
      const emailSubject = response.emailSubject;
      if (typeof emailMessage === 'string') {
        const missing =
          !emailMessage.includes(request.codeParameter) || (adminCreate && !emailMessage.includes('{username}'));
        if (missing || emailMessage.length > 20_000) {
          throw new CognitoError('InvalidLambdaResponseException', 'Invalid lambda response: custom message');
        }
        body = emailMessage;
      }
      if (typeof emailSubject === 'string') {
        if (emailSubject.length < 1 || emailSubject.length > 140) {
          throw new CognitoError('InvalidLambdaResponseException', 'Invalid lambda response: email subject');
        }
        subject = emailSubject;
      }
      const sms = response.smsMessage;
      if (typeof sms === 'string' && (sms.length > 140 || !sms.includes(request.codeParameter))) {
        throw new CognitoError('InvalidLambdaResponseException', 'Invalid lambda response: sms message');
      }
    }
    const fill = (text: string) => text.replaceAll('{####}', code).replaceAll('{username}', user.username);
    this.store.data.outbox.push({
      id: newId(),
      to,
      subject: fill(subject),
      body: fill(body),
      code,
      triggerSource,
      clientMetadata: args.clientMetadata ?? {},
      createdAt: new Date(this.now()).toISOString(),
    });
    return { Destination: maskEmail(to), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
  }

  async postConfirmation(
    pool: StoredPool,
    clientId: string,
    user: StoredUser,
    source: 'ConfirmSignUp' | 'ConfirmForgotPassword',
    clientMetadata: Metadata,
  ): Promise<void> {
    const arn = pool.lambdaConfig.PostConfirmation;
    if (!arn) return;
    const event = this.triggerEvent(pool, clientId, user, `PostConfirmation_${source}`, {}, clientMetadata);
    await this.invokeTrigger('PostConfirmation', arn, event);
  }
}

/** `jane.doe@example.com` -> `j***@e***`, as Cognito masks destinations. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}
