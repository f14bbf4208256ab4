/**
 * Retries against a real HTTP server speaking Cognito's JSON protocol: a call Cognito may have processed is
 * never replayed (a replayed ConfirmForgotPassword answers CodeMismatch, a replayed SignUp UsernameExists);
 * a throttled one is.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfirmForgotPasswordCommand, ForgotPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { cognitoClient } from '../../../lambdas/shared/aws';
import { BFF_TIMEOUTS } from '../../../lambdas/shared/cognito';

type Reply = { status: number; body: object } | 'hang';
let server: Server | undefined;

/** A Cognito endpoint that gives `replies` in turn and counts the requests it got. */
async function cognitoAnswering(...replies: Reply[]) {
  const seen = { requests: 0 };
  server = createServer((req, res) => {
    req.resume();
    const reply = replies[Math.min(seen.requests++, replies.length - 1)];
    if (!reply || reply === 'hang') return;
    res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { seen, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

process.env.AWS_REGION ??= 'us-east-1';

afterEach(async () => {
  const open = server;
  server = undefined;
  if (!open) return;
  open.closeAllConnections();
  await new Promise((resolve) => open.close(resolve));
});

const confirm = new ConfirmForgotPasswordCommand({
  ClientId: 'client',
  Username: 'jane@example.com',
  ConfirmationCode: '123456',
  Password: 'Corr3ct-Horse-Battery!',
});
const client = (endpoint: string, requestTimeout: number = BFF_TIMEOUTS.requestTimeout) =>
  cognitoClient({ ...BFF_TIMEOUTS, requestTimeout }, endpoint);

describe('Cognito calls', () => {
  it('are not replayed after a server error: Cognito may have done the work', async () => {
    const { seen, endpoint } = await cognitoAnswering({ status: 500, body: { __type: 'InternalErrorException' } });
    await expect(client(endpoint).send(confirm)).rejects.toMatchObject({ name: 'InternalErrorException' });
    expect(seen.requests).toBe(1);
  });

  it('are not replayed after a request timeout', async () => {
    const { seen, endpoint } = await cognitoAnswering('hang');
    await expect(client(endpoint, 300).send(confirm)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(seen.requests).toBe(1);
  });

  it('are retried when throttled, which Cognito refuses before doing anything', async () => {
    const throttled = { status: 400, body: { __type: 'TooManyRequestsException' } };
    const { seen, endpoint } = await cognitoAnswering(throttled, throttled, { status: 200, body: {} });
    await expect(client(endpoint).send(confirm)).resolves.toMatchObject({ $metadata: { attempts: 3 } });
    expect(seen.requests).toBe(3);
  });

  it('give up after the attempts a function can afford', async () => {
    const { seen, endpoint } = await cognitoAnswering({ status: 400, body: { __type: 'TooManyRequestsException' } });
    await expect(client(endpoint).send(confirm)).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    expect(seen.requests).toBe(BFF_TIMEOUTS.maxAttempts);
  });

  it("resolve an operation's middleware once, and concurrent calls still get their own answers", async () => {
    // Each answer names the user its request was for.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const { Username } = JSON.parse(Buffer.concat(chunks).toString()) as { Username: string };
        const details = { Destination: Username, DeliveryMedium: 'EMAIL', AttributeName: 'email' };
        res
          .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify({ CodeDeliveryDetails: details }));
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const cognito = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const resolved = jest.spyOn(ForgotPasswordCommand.prototype, 'resolveMiddleware');
    try {
      const users = ['ana@example.com', 'ben@example.com', 'cai@example.com'];
      const forgot = (Username: string) => cognito.send(new ForgotPasswordCommand({ ClientId: 'client', Username }));
      const answers = await Promise.all(users.map(forgot));
      expect(answers.map((a) => a.CodeDeliveryDetails?.Destination)).toEqual(users);
      await forgot('dee@example.com');
      expect(resolved).toHaveBeenCalledTimes(1);
    } finally {
      resolved.mockRestore();
    }
  });

  it('wait out three 5 s trigger attempts before timing out', () => {
    // https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-identity-pools-working-with-aws-lambda-triggers.html
    expect(BFF_TIMEOUTS.requestTimeout).toBeGreaterThan(3 * 5000);
  });
});
