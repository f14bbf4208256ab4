/**
 * An app client's secrets: at most two live at once, so that a secret can be rotated with no downtime
 * (AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret), and a SecretHash or a
 * ClientSecret is accepted when it matches either live secret.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AddUserPoolClientSecret.html
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPoolClientSecrets.html
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPoolClientSecret.html
 */
import { randomToken, safeEqual } from './crypto';
import { optStr, str } from './input';
import { CognitoError, type StoredClient, type StoredClientSecret, err } from './model';
import type { Operation } from './user-operations';

/** "Supports up to 2 active secrets per app client" (API_AddUserPoolClientSecret). */
export const MAX_CLIENT_SECRETS = 2;

/** The client's live secrets, oldest first; a state file from before rotation holds only `clientSecret`. */
export function liveSecrets(client: StoredClient): readonly StoredClientSecret[] {
  if (client.clientSecrets) return client.clientSecrets;
  if (!client.clientSecret) return [];
  return [{ id: secretId(client, client.createdAt), value: client.clientSecret, createdAt: client.createdAt }];
}

/** Whether `given` is one of the client's live secrets (compared in constant time). */
export const isLiveSecret = (client: StoredClient, given: string | undefined): boolean =>
  given !== undefined && liveSecrets(client).some((s) => safeEqual(s.value, given));

/** "This identifier follows the format <client-id>--<epoch-create-time>" (ClientSecretDescriptorType). */
const secretId = (client: StoredClient, at: number) => `${client.clientId}--${at}`;

/** A secret as Cognito generates one: word characters, within ClientSecretType's 24-64. */
export const generateClientSecret = () => randomToken(38).replace(/[-_]/g, 'a').slice(0, 51);

function setSecrets(client: StoredClient, secrets: StoredClientSecret[]): void {
  client.clientSecrets = secrets;
  client.clientSecret = secrets[0]?.value;
}

/** A new live secret (for CreateUserPoolClient with GenerateSecret, and AddUserPoolClientSecret). */
export function addSecret(client: StoredClient, value: string, now: number): StoredClientSecret {
  const secrets = [...liveSecrets(client)];
  let at = now;
  while (secrets.some((s) => s.id === secretId(client, at))) at += 1;
  const secret = { id: secretId(client, at), value, createdAt: at };
  setSecrets(client, [...secrets, secret]);
  return secret;
}

const descriptor = (s: StoredClientSecret) => ({ ClientSecretId: s.id, ClientSecretCreateDate: s.createdAt / 1000 });

/**
 * "Creates a new client secret for an existing confidential user pool app client" (a client created without
 * a secret is public: InvalidParameterException); at most two live (LimitExceededException). "The
 * ClientSecretValue is only returned when Amazon Cognito generates the secret."
 */
const AddUserPoolClientSecret: Operation = async (engine, input) => {
  const { client } = engine.client(str(input, 'ClientId', 128), input.UserPoolId);
  if (liveSecrets(client).length === 0) {
    throw err.invalidParameter(`Client ${client.clientId} is a public client: it has no secret to rotate.`);
  }
  if (liveSecrets(client).length >= MAX_CLIENT_SECRETS) {
    throw new CognitoError(
      'LimitExceededException',
      `Client ${client.clientId} already has ${MAX_CLIENT_SECRETS} client secrets; delete one before adding another.`,
    );
  }
  const chosen = optStr(input, 'ClientSecret', 64);
  const secret = addSecret(client, chosen ?? generateClientSecret(), engine.now());
  client.lastModifiedAt = engine.now();
  await engine.store.commit();
  return { ClientSecretDescriptor: { ...descriptor(secret), ...(chosen ? {} : { ClientSecretValue: secret.value }) } };
};

/** "the response never reveals the actual secret value"; both secrets in one answer, no NextToken. */
const ListUserPoolClientSecrets: Operation = async (engine, input) => {
  const { client } = engine.client(str(input, 'ClientId', 128), input.UserPoolId);
  return { ClientSecrets: liveSecrets(client).map(descriptor) };
};

/** "You cannot delete the last remaining secret for an app client." */
const DeleteUserPoolClientSecret: Operation = async (engine, input) => {
  const { client } = engine.client(str(input, 'ClientId', 128), input.UserPoolId);
  const id = str(input, 'ClientSecretId', 128);
  const secrets = liveSecrets(client);
  if (!secrets.some((s) => s.id === id)) {
    throw err.resourceNotFound(`Client secret ${id} does not exist for client ${client.clientId}.`);
  }
  if (secrets.length === 1) {
    throw err.invalidParameter(`Client secret ${id} is the last secret of client ${client.clientId}.`);
  }
  setSecrets(
    client,
    secrets.filter((s) => s.id !== id),
  );
  client.lastModifiedAt = engine.now();
  await engine.store.commit();
  return {};
};

export const clientSecretOperations: Record<string, Operation> = {
  AddUserPoolClientSecret,
  ListUserPoolClientSecrets,
  DeleteUserPoolClientSecret,
};
