/**
 * The deployment a flow test runs against. The flow suite (test/flows) is written once against this
 * interface and a base URL; nothing in it knows whether the BFF runs locally or in AWS.
 *
 * - `local` (default, `npm test`): the stack `npm start` runs, started on free ports for the suite.
 * - `aws` (`npm run test:aws`, opt-in): a deployed throwaway stack. It is not built yet; asking for it
 *   fails loudly rather than running the suite against something else.
 */
import { afterAll, beforeAll } from '@jest/globals';
import { type RunningStack, client, removeDir, startStack } from './stack';

/** A message Cognito sent, as the CustomMessage trigger wrote it. */
export interface Message {
  readonly triggerSource: string;
  readonly subject: string;
  readonly body: string;
  /** The code or temporary password the message carries. */
  readonly code: string;
}

/** An audit event the stack published (EventBridge `detail-type` and `detail`). */
export interface AuditEvent {
  readonly detailType: string;
  readonly detail: any;
}

export interface Target {
  readonly name: 'local';
  /** The BFF's base URL: the client's `baseUrl`. */
  readonly baseUrl: string;
  /** A URL on the stack's redirect allowlist, for the links in reset mails. */
  readonly redirectUri: string;
  /** Every message sent to `email`, oldest first. */
  messages(email: string): Promise<Message[]>;
  /** Every audit event published so far, oldest first. */
  events(): Promise<AuditEvent[]>;
  /** Creates a user as an administrator does: AdminCreateUser, verified email, invitation mailed. */
  inviteUser(email: string): Promise<void>;
  /** Sign-in credentials of a member of the admins group. */
  adminCredentials(): Promise<{ username: string; password: string }>;
  stop(): Promise<void>;
}

export async function startTarget(name = process.env.BFF_TARGET ?? 'local'): Promise<Target> {
  if (name !== 'local') throw new Error(`BFF_TARGET=${name}: only the local target exists so far`);
  return localTarget(await startStack());
}

function localTarget(stack: RunningStack): Target {
  const local = client(stack.url);
  const get = async <T>(path: string) => (await local.call('GET', path)).body as T;
  return {
    name: 'local',
    baseUrl: stack.url,
    // local/stack.ts puts the stack's own /reset page on the allowlist.
    redirectUri: `${stack.url}/reset`,
    messages: (email) => get(`/_local/outbox?to=${encodeURIComponent(email)}`),
    events: () => get('/_local/events'),
    async inviteUser(email) {
      const { CognitoIdentityProviderClient, AdminCreateUserCommand } =
        await import('@aws-sdk/client-cognito-identity-provider');
      const config = await get<{ cognitoEndpoint: string; region: string; userPoolId: string }>('/_local/config');
      const cognito = new CognitoIdentityProviderClient({
        endpoint: config.cognitoEndpoint,
        region: config.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
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
      cognito.destroy();
    },
    // The administrator `npm start` seeds (README, "Run it locally").
    adminCredentials: async () => ({
      username: 'admin@example.com',
      password: process.env.LOCAL_ADMIN_PASSWORD ?? 'Local-Admin-Passw0rd!',
    }),
    async stop() {
      await stack.stop();
      removeDir(stack.dataDir);
    },
  };
}

/** Starts the target before a file's tests and stops it after; fields are set once `beforeAll` ran. */
export function useTarget() {
  const handle = {} as { target: Target; api: ReturnType<typeof client> };
  beforeAll(async () => {
    handle.target = await startTarget();
    handle.api = client(handle.target.baseUrl);
  });
  afterAll(async () => {
    await handle.target?.stop();
  });
  return handle;
}
