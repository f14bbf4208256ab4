/**
 * Answers API Gateway makes itself (issue #15, item 6): each tells its real status, as
 * problem+json, readable by a browser without credentials, with Retry-After exposed.
 * Response types and their default statuses:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
import { App } from 'aws-cdk-lib';
import { ResponseType } from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from '@jest/globals';
import { GATEWAY_ANSWERS } from '../../lib/constructs/bff-api';
import { PasswordBffStack } from '../../lib/password-bff-stack';
import { defaultSettings } from '../../lambdas/shared/settings';

type GatewayResponse = {
  Properties: {
    ResponseType: string;
    StatusCode?: string;
    ResponseParameters: Record<string, string>;
    ResponseTemplates: Record<string, string>;
  };
};

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const template = Template.fromStack(new PasswordBffStack(app, 'Gateway'));
const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')) as GatewayResponse[];
const byType = new Map(responses.map((r) => [r.Properties.ResponseType, r.Properties]));
/** The body as a client receives it, with the fallbacks' one context variable filled in. */
const body = (type: string) =>
  JSON.parse(
    (byType.get(type)?.ResponseTemplates['application/json'] ?? '{}').replace(
      '$context.error.responseType',
      'SOME_TYPE',
    ),
  ) as Record<string, unknown>;

/** Every ResponseType the CDK knows: API Gateway's whole list. */
const ALL_TYPES = Object.values(ResponseType)
  .filter((v): v is ResponseType => v instanceof ResponseType)
  .map((t) => t.responseType);

describe('gateway responses', () => {
  it('gives every response type API Gateway has its own entry', () => {
    expect(ALL_TYPES.length).toBeGreaterThanOrEqual(21);
    expect([...byType.keys()].sort()).toEqual([...ALL_TYPES].sort());
  });

  it('states in the body exactly the status each is sent with', () => {
    for (const [type, properties] of byType) {
      if (type === 'DEFAULT_4XX' || type === 'DEFAULT_5XX') continue;
      expect({ type, status: body(type).status }).toEqual({ type, status: Number(properties.StatusCode) });
    }
  });

  it('lets the fallbacks keep API Gateway status and claim none, naming the response type instead', () => {
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      expect(byType.get(type)?.StatusCode).toBeUndefined();
      expect(body(type)).not.toHaveProperty('status');
      expect(body(type)).toMatchObject({ responseType: 'SOME_TYPE', code: expect.any(String) });
    }
  });

  it.each([
    ['MISSING_AUTHENTICATION_TOKEN', 404, 'NotFound'],
    ['UNAUTHORIZED', 401, 'NotAuthorized'],
    ['ACCESS_DENIED', 403, 'Forbidden'],
    ['REQUEST_TOO_LARGE', 413, 'PayloadTooLarge'],
    ['THROTTLED', 429, 'TooManyRequests'],
    ['WAF_FILTERED', 403, 'RequestBlocked'],
    ['INTEGRATION_TIMEOUT', 504, 'GatewayTimeout'],
    ['INTEGRATION_FAILURE', 502, 'Upstream'],
    ['BAD_REQUEST_BODY', 400, 'ValidationFailed'],
  ])('answers %s with %i %s', (type, status, code) => {
    expect(byType.get(type)?.StatusCode).toBe(String(status));
    expect(body(type)).toMatchObject({ status, code, type: `urn:password-bff:problem:${code}` });
  });

  it('sends every one as application/problem+json, uncached, not sniffed', () => {
    for (const [type, properties] of byType) {
      expect({ type, headers: properties.ResponseParameters }).toMatchObject({
        type,
        headers: {
          'gatewayresponse.header.Content-Type': "'application/problem+json'",
          'gatewayresponse.header.Cache-Control': "'no-store'",
          'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
        },
      });
    }
  });

  it('lets any page read them without credentials, and exposes Retry-After; never reflects the Origin', () => {
    for (const [type, properties] of byType) {
      const headers = properties.ResponseParameters;
      expect({ type, origin: headers['gatewayresponse.header.Access-Control-Allow-Origin'] }).toEqual({
        type,
        origin: "'*'",
      });
      expect(headers['gatewayresponse.header.Access-Control-Expose-Headers']).toBe("'Retry-After'");
      expect(Object.keys(headers)).not.toContain('gatewayresponse.header.Access-Control-Allow-Credentials');
      expect(JSON.stringify(headers)).not.toContain('method.request.header.Origin');
    }
  });

  it('says when to retry on every 429', () => {
    const tooMany = [...byType].filter(([, p]) => p.StatusCode === '429');
    expect(tooMany.map(([type]) => type).sort()).toEqual(['QUOTA_EXCEEDED', 'THROTTLED']);
    for (const [, properties] of tooMany) {
      // One Retry-After for every 429, from bff:retryAfterSeconds.
      expect(Number(properties.ResponseParameters['gatewayresponse.header.Retry-After']?.replaceAll("'", ''))).toBe(
        defaultSettings.retryAfterSeconds,
      );
    }
  });

  it('is built from one table, which the local server can mirror', () => {
    expect(GATEWAY_ANSWERS.map((a) => a.type.responseType).sort()).toEqual([...byType.keys()].sort());
  });
});
