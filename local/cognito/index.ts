import type { AwsJsonService } from '../aws-json';
import { adminOperations } from './admin-operations';
import { clientSecretOperations } from './client-secrets';
import { Engine, type LocalCognitoOptions } from './engine';
import { own } from './model';
import { poolOperations } from './pool-operations';
import { refreshOperations } from './refresh';
import { userOperations } from './user-operations';
import { validateInput } from './validate';

export { Engine, type LocalCognitoOptions, type TriggerHandler } from './engine';
export type { OutboxMessage } from './model';

/** The local Cognito: an {@link Engine} plus its operations table and JWKS, ready to serve. */
export class LocalCognito {
  readonly engine: Engine;
  readonly service: AwsJsonService;

  constructor(options: LocalCognitoOptions = {}) {
    const engine = new Engine(options);
    this.engine = engine;
    const table = {
      ...userOperations,
      ...refreshOperations,
      ...poolOperations,
      ...clientSecretOperations,
      ...adminOperations,
    };
    this.service = {
      targetPrefix: 'AWSCognitoIdentityProviderService',
      operations: Object.fromEntries(
        Object.entries(table).map(([name, op]) => [
          name,
          (input: Record<string, unknown>) => {
            // Cognito reads and validates the whole request before it acts on any of it.
            validateInput(name, input);
            return op(engine, input);
          },
        ]),
      ),
    };
  }

  /** `GET /<userPoolId>/.well-known/jwks.json` */
  jwks(path: string): unknown | undefined {
    const match = /^\/([\w-]+)\/\.well-known\/jwks\.json$/.exec(path);
    const pool = own(this.engine.store.data.pools, match?.[1]);
    return pool ? { keys: [pool.key.publicJwk] } : undefined;
  }

  get outbox() {
    return this.engine.store.data.outbox;
  }
}
