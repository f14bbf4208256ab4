/**
 * Warm overhead of one route's full chain (parse, validate, map, log) with the SDK stubbed at its
 * transport, against the same SDK call alone. Sends {p50Ms, p99Ms, overheadRatio} to the parent.
 */
import { CognitoIdentityProviderClient, ForgotPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { percentile } from './stats';

const ITERATIONS = 20_000;
const answer = JSON.stringify({
  CodeDeliveryDetails: { Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
});
const describe = JSON.stringify({ UserPoolClient: { ClientSecret: 'bench-secret' } });

/** An HTTP handler that answers like Cognito without a network. */
const transport = {
  handle: async (request: { headers: Record<string, string> }) => {
    const target = request.headers['x-amz-target'] ?? '';
    const body = target.endsWith('DescribeUserPoolClient') ? describe : answer;
    const { Readable } = await import('node:stream');
    return {
      response: {
        statusCode: 200,
        reason: 'OK',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'bench' },
        body: Readable.from([Buffer.from(body)]),
      },
    };
  },
  updateHttpClientConfig: () => {},
  httpHandlerConfigs: () => ({}),
};

// Every SDK client of this process (the function's and the bare one) answers through the stub.
(NodeHttpHandler.prototype as unknown as { handle: unknown }).handle = transport.handle;
const { create } = await import('../lambdas/password/forgot');
const handler = create(process.env) as unknown as (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<{ statusCode: number }>;
const cognito = new CognitoIdentityProviderClient({});

const body = JSON.stringify({ username: 'jane@example.com', clientMetadata: { locale: 'fr' } });
const event = () =>
  ({
    httpMethod: 'POST',
    path: '/password/forgot',
    resource: '/password/forgot',
    headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:3000' },
    body,
    isBase64Encoded: false,
    pathParameters: null,
    requestContext: { identity: { sourceIp: '203.0.113.7' }, requestId: 'r' },
  }) as unknown as APIGatewayProxyEvent;
const context = {
  functionName: 'bench',
  awsRequestId: 'r',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const sdkAlone = () =>
  cognito.send(
    new ForgotPasswordCommand({
      ClientId: 'benchclient',
      SecretHash: 'x',
      Username: 'jane@example.com',
      ClientMetadata: { locale: 'fr' },
      UserContextData: { IpAddress: '203.0.113.7' },
    }),
  );
const chain = async () => {
  const result = await handler(event(), context);
  if (result.statusCode !== 202) throw new Error(`unexpected ${result.statusCode}`);
};

// Interleaved blocks so both see the same machine state; our overhead is the difference
// between the two distributions at each percentile.
for (let i = 0; i < 1000; i++) {
  await sdkAlone();
  await chain();
}
const sdk: number[] = [];
const full: number[] = [];
const BLOCK = 500;
for (let done = 0; done < ITERATIONS; done += BLOCK) {
  for (let i = 0; i < BLOCK; i++) {
    const t0 = performance.now();
    await sdkAlone();
    sdk.push(performance.now() - t0);
  }
  for (let i = 0; i < BLOCK; i++) {
    const t0 = performance.now();
    await chain();
    full.push(performance.now() - t0);
  }
}
const round = (n: number) => Math.round(n * 1000) / 1000;
process.send?.({
  p50Ms: round(percentile(full, 50) - percentile(sdk, 50)),
  p99Ms: round(percentile(full, 99) - percentile(sdk, 99)),
  overheadRatio: round(percentile(full, 50) / percentile(sdk, 50)),
});
