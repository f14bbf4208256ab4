/**
 * Puts the secret that Secrets Manager holds on the app client, as a second live secret beside the one Cognito
 * generated when it created the client: AddUserPoolClientSecret "Creates a new client secret for an existing
 * confidential user pool app client. Supports up to 2 active secrets per app client" and takes the value to use
 * ("The client secret value you want to use"),
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AddUserPoolClientSecret.html.
 * Cognito's id of it is then stored beside the value, so that the rotation knows which secret is current.
 * Safe to run again: once the stored id is live in Cognito, it does nothing. The generated secret stays live
 * (functions of the previous version may still use it during the deploy): the first rotation deletes it.
 */
import { randomUUID } from 'node:crypto';
import {
  AddUserPoolClientSecretCommand,
  type CognitoIdentityProviderClient,
  ListUserPoolClientSecretsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type StoredClientSecret, parseStoredSecret } from '../shared/cognito';
import { type SecretSource, getSecretString, secretsManagerCall } from '../shared/secret-reader';

export interface ClientSecretTarget {
  readonly userPoolId: string;
  readonly clientId: string;
}

/** Where the client secret's source of truth is: Secrets Manager (or the local stack's). */
export interface ClientSecretStore {
  read(): Promise<StoredClientSecret>;
  write(value: StoredClientSecret): Promise<void>;
}

/**
 * The store over the signed Secrets Manager calls (no Secrets Manager SDK). A raw request names its own
 * ClientRequestToken (the version id): "If you generate a raw HTTP request ... you must generate a
 * ClientRequestToken" (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html).
 */
export const secretsManagerStore = (source: SecretSource): ClientSecretStore => ({
  read: async () => parseStoredSecret(await getSecretString(source)),
  write: async (value) => {
    await secretsManagerCall(source, 'PutSecretValue', {
      SecretString: JSON.stringify(value),
      ClientRequestToken: randomUUID(),
    });
  },
});

/** Whether the secret was added now (false: it was already live). */
export async function installClientSecret(
  cognito: CognitoIdentityProviderClient,
  store: ClientSecretStore,
  target: ClientSecretTarget,
): Promise<boolean> {
  const client = { UserPoolId: target.userPoolId, ClientId: target.clientId };
  const stored = await store.read();
  if (stored.clientSecretId) {
    const live = await cognito.send(new ListUserPoolClientSecretsCommand(client));
    if (live.ClientSecrets?.some((s) => s.ClientSecretId === stored.clientSecretId)) return false;
  }
  const added = await cognito.send(
    new AddUserPoolClientSecretCommand({ ...client, ClientSecret: stored.clientSecret }),
  );
  const clientSecretId = added.ClientSecretDescriptor?.ClientSecretId;
  if (!clientSecretId) throw new Error('AddUserPoolClientSecret answered without a ClientSecretId');
  await store.write({ clientSecret: stored.clientSecret, clientSecretId });
  return true;
}
