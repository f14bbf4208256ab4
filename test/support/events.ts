/** API Gateway (REST, v1) proxy events as the gateway builds them, for handler unit tests. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

export const SOURCE_IP = '203.0.113.7';

export function apiEvent(options: {
  method: string;
  path: string;
  resource?: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  token?: string;
  claims?: Record<string, string>;
  pathParameters?: Record<string, string>;
}): APIGatewayProxyEvent {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Origin: 'http://localhost:3000',
    ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  return {
    resource: options.resource ?? options.path,
    path: options.path,
    httpMethod: options.method,
    headers,
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    isBase64Encoded: false,
    body: options.raw ?? (options.body === undefined ? null : JSON.stringify(options.body)),
    requestContext: {
      requestId: 'req-1',
      httpMethod: options.method,
      identity: { sourceIp: SOURCE_IP },
      ...(options.claims ? { authorizer: { claims: options.claims } } : {}),
    },
  } as unknown as APIGatewayProxyEvent;
}

export const lambdaContext = {
  functionName: 'test',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export async function invoke(handler: unknown, event: APIGatewayProxyEvent) {
  const result = await (handler as Handler)(event, lambdaContext);
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  return { ...result, headers, json: result.body ? (JSON.parse(result.body) as any) : undefined };
}
