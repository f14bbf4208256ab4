import { randomBytes } from 'node:crypto';
import type { AwsJsonService } from './aws-json';
import { CognitoError } from './cognito/model';
import { JsonStore, stateFile } from './store';

/** The id the local stack gives the session-cookie key's secret (in AWS: the secret CDK creates). */
export const LOCAL_SESSION_KEY_SECRET_ID = 'password-bff/local/session-key';

/**
 * Secrets Manager's GetSecretValue answered locally, for the secrets the local stack generates itself: the
 * session-cookie key (lambdas/shared/session-key.ts), random per state folder (`.local/secrets.json`, owner-only
 * like the rest of the state), so that `npm start` keeps browser sessions across restarts and `--reset` ends
 * them. Answers as the API does: `{ARN, Name, SecretString, VersionId}`, ResourceNotFoundException otherwise
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
 */
export class LocalSecrets {
  readonly store: JsonStore<{ secrets: Record<string, string> }>;
  readonly service: AwsJsonService;

  constructor(dataDir?: string) {
    this.store = new JsonStore(stateFile(dataDir, 'secrets.json'), () => ({ secrets: {} }));
    // 64 characters from 48 random bytes, as CDK's generated secret in AWS.
    if (this.store.data.secrets[LOCAL_SESSION_KEY_SECRET_ID] === undefined) {
      this.store.data.secrets[LOCAL_SESSION_KEY_SECRET_ID] = randomBytes(48).toString('base64url');
      void this.store.commit();
    }
    this.service = {
      targetPrefix: 'secretsmanager',
      operations: {
        GetSecretValue: async (input) => {
          const id = String(input.SecretId ?? '');
          const value = this.store.data.secrets[id];
          if (value === undefined) {
            throw new CognitoError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
          }
          return {
            ARN: `arn:aws:secretsmanager:local:000000000000:secret:${id}`,
            Name: id,
            SecretString: value,
            VersionId: '00000000-0000-0000-0000-000000000001',
            VersionStages: ['AWSCURRENT'],
          };
        },
      },
    };
  }
}
