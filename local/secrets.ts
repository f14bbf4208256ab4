import { randomBytes, randomUUID } from 'node:crypto';
import type { AwsJsonService } from './aws-json';
import { CognitoError } from './cognito/model';
import { JsonStore, stateFile } from './store';

/** The id the local stack gives the session-cookie key's secret (in AWS: the secret CDK creates). */
export const LOCAL_SESSION_KEY_SECRET_ID = 'password-bff/local/session-key';
/** The id of the app client's secret (in AWS: lib/constructs/client-secret.ts), `{"clientSecret", ...}`. */
export const LOCAL_CLIENT_SECRET_ID = 'password-bff/local/client-secret';

/** 52 letters and digits, as the stack's generated client secret: ClientSecretType allows 24-64 `[\w+]`. */
export function newClientSecretValue(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(52), (byte) => alphabet[byte % alphabet.length]).join('');
}

const notFound = () =>
  new CognitoError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

/**
 * Secrets Manager answered locally (the one emulation of it), for the secrets the local stack generates itself,
 * random per state folder (`.local/secrets.json`, owner-only like the rest of the state), so that `npm start`
 * keeps browser sessions across restarts and `--reset` ends them:
 * - the session-cookie key (lambdas/shared/session-key.ts);
 * - the app client's secret (lambdas/shared/cognito.ts), which `npm run secret -- rotate` replaces.
 * GetSecretValue answers as the API does (`{ARN, Name, SecretString, VersionId, VersionStages}`), PutSecretValue
 * makes the value the current version (AWSCURRENT); an unknown id is ResourceNotFoundException
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html,
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html).
 */
export class LocalSecrets {
  readonly store: JsonStore<{ secrets: Record<string, string>; versions?: Record<string, string> }>;
  readonly service: AwsJsonService;

  constructor(dataDir?: string) {
    this.store = new JsonStore(stateFile(dataDir, 'secrets.json'), () => ({ secrets: {} }));
    const generated = {
      // 64 characters from 48 random bytes, as CDK's generated secret in AWS.
      [LOCAL_SESSION_KEY_SECRET_ID]: () => randomBytes(48).toString('base64url'),
      // The installer puts it on the client and adds its Cognito id (local/stack.ts).
      [LOCAL_CLIENT_SECRET_ID]: () => JSON.stringify({ clientSecret: newClientSecretValue() }),
    };
    let created = false;
    for (const [id, make] of Object.entries(generated)) {
      if (this.store.data.secrets[id] !== undefined) continue;
      this.store.data.secrets[id] = make();
      created = true;
    }
    if (created) void this.store.commit();
    const secretOf = (input: Record<string, unknown>) => {
      const id = String(input.SecretId ?? '');
      if (this.store.data.secrets[id] === undefined) throw notFound();
      return id;
    };
    const described = (id: string) => ({
      ARN: `arn:aws:secretsmanager:local:000000000000:secret:${id}`,
      Name: id,
      VersionId: this.store.data.versions?.[id] ?? '00000000-0000-0000-0000-000000000001',
    });
    this.service = {
      targetPrefix: 'secretsmanager',
      operations: {
        GetSecretValue: async (input) => {
          const id = secretOf(input);
          return { ...described(id), SecretString: this.store.data.secrets[id], VersionStages: ['AWSCURRENT'] };
        },
        PutSecretValue: async (input) => {
          const id = secretOf(input);
          const value = input.SecretString;
          if (typeof value !== 'string' || value.length === 0 || value.length > 65_536) {
            throw new CognitoError('InvalidParameterException', 'SecretString must be 1 to 65536 characters.');
          }
          this.store.data.secrets[id] = value;
          this.store.data.versions = { ...this.store.data.versions, [id]: randomUUID() };
          await this.store.commit();
          return { ...described(id), VersionStages: ['AWSCURRENT'] };
        },
      },
    };
  }

  /** The client secret the functions read now (the local page and tests compute SecretHashes with it). */
  currentClientSecret(): string {
    const text = this.store.data.secrets[LOCAL_CLIENT_SECRET_ID] ?? '{}';
    return String((JSON.parse(text) as { clientSecret?: unknown }).clientSecret ?? '');
  }
}
