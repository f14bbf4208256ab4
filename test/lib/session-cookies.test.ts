/**
 * The AWS side of cookie sessions (README, "Sessions"): no gateway authorizer (it would refuse every
 * cookie-mode request), the session key generated per deploy and readable only by the functions that handle
 * sessions, its id (not its value) in their configuration, and a preflight that allows X-BFF-Session with
 * credentials for the allowlisted origins only.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { routeList } from '../../lambdas/routes';
import { usesSession } from '../../lambdas/shared/route';
import { defaultSettings, settingsFromContext } from '../../lambdas/shared/settings';
import { PasswordBffStack } from '../../lib/password-bff-stack';

let template: Template;
beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(
    new PasswordBffStack(app, 'Test', {
      settings: { ...defaultSettings, allowedOrigins: ['https://app.example.com', 'https://admin.example.com'] },
    }),
  );
});

type Statement = { Action: string | string[]; Resource: unknown };
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** The functions of the template by route name: their environment and their policy statements. */
function routeFunctions() {
  const functions = template.findResources('AWS::Lambda::Function');
  const policies = template.findResources('AWS::IAM::Policy');
  return routeList.map((route) => {
    const [id, fn] =
      Object.entries(functions).find(([key]) => key.startsWith(`Api${pascal(route.name)}Function`)) ?? [];
    if (!id || !fn) throw new Error(`no function for ${route.name}`);
    const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = Object.values(policies)
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    return { route, env: fn.Properties.Environment.Variables as Record<string, unknown>, statements };
  });
}

const secretId = () => {
  const secrets = template.findResources('AWS::SecretsManager::Secret');
  // The session key (the other secret is the app client's, test/lib/client-secret.test.ts).
  const ids = Object.keys(secrets).filter((id) => id.startsWith('ApiSessionKey'));
  expect(ids).toHaveLength(1);
  return ids[0] ?? '';
};

describe('cookie sessions in AWS', () => {
  it('has no gateway authorizer: every method is open to the function, which verifies the token itself', () => {
    expect(Object.keys(template.findResources('AWS::ApiGateway::Authorizer'))).toEqual([]);
    for (const method of Object.values(template.findResources('AWS::ApiGateway::Method'))) {
      expect(method.Properties.AuthorizationType).toBe('NONE');
    }
  });

  it('generates the session key per deploy, never in the template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
    const secret = template.findResources('AWS::SecretsManager::Secret')[secretId()];
    expect(secret?.Properties.SecretString).toBeUndefined();
  });

  it('lets exactly the session functions read that one secret (GetSecretValue only), by id in their config', () => {
    const id = secretId();
    const all = routeFunctions();
    expect(all.filter((f) => usesSession(f.route)).map((f) => f.route.name)).toEqual(
      expect.arrayContaining(['signIn', 'refresh', 'signOut', 'getMe', 'deleteMe', 'changePassword']),
    );
    for (const { route, env, statements } of all) {
      const grants = statements.filter(
        (s) => JSON.stringify(s.Action).includes('secretsmanager') && JSON.stringify(s.Resource).includes(id),
      );
      if (usesSession(route)) {
        expect([route.name, grants]).toEqual([
          route.name,
          [expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: id } })],
        ]);
        expect([route.name, env.SESSION_KEY_SECRET_ID]).toEqual([route.name, { Ref: id }]);
        expect(env.REFRESH_TOKEN_DAYS).toBe(String(defaultSettings.client.tokenValidity.refreshTokenDays));
      } else {
        expect([route.name, grants, env.SESSION_KEY_SECRET_ID]).toEqual([route.name, [], undefined]);
      }
    }
  });

  it('preflights X-BFF-Session with credentials, for allowlisted origins only, never a reflected one', () => {
    const options = Object.values(template.findResources('AWS::ApiGateway::Method')).filter(
      (m) => m.Properties.HttpMethod === 'OPTIONS',
    );
    expect(options.length).toBeGreaterThan(0);
    for (const method of options) {
      const [answer] = method.Properties.Integration.IntegrationResponses as {
        ResponseParameters: Record<string, string>;
        ResponseTemplates: Record<string, string>;
      }[];
      const headers = answer?.ResponseParameters ?? {};
      expect(headers['method.response.header.Access-Control-Allow-Headers']).toContain('X-BFF-Session');
      expect(headers['method.response.header.Access-Control-Allow-Credentials']).toBe("'true'");
      expect(headers['method.response.header.Access-Control-Allow-Origin']).toBe("'https://app.example.com'");
      // The other allowlisted origin is echoed only when it is exactly the request's.
      expect(answer?.ResponseTemplates['application/json']).toContain('$origin == "https://admin.example.com"');
      expect(JSON.stringify(headers)).not.toContain('method.request.header.Origin');
    }
  });
});

describe('bff:domain', () => {
  const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
  const synthWith = (domain: unknown) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const settings = settingsFromContext({ 'bff:domain': domain });
    return Template.fromStack(new PasswordBffStack(app, 'Domain', { settings }));
  };

  it('puts the API on the custom domain, with an alias record in the zone given by id and name', () => {
    const t = synthWith({
      name: 'api.example.com',
      certificateArn: CERT,
      hostedZone: { id: 'Z0123456789ABC', name: 'example.com' },
    });
    t.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      RegionalCertificateArn: CERT,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    t.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABC',
    });
  });

  it('makes no record without a hosted zone, and no domain without the setting', () => {
    const t = synthWith({ name: 'api.example.com', certificateArn: CERT });
    t.resourceCountIs('AWS::ApiGateway::DomainName', 1);
    t.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
  });

  it('refuses a bad name, certificate or zone', () => {
    expect(() => synthWith({ name: 'https://api.example.com', certificateArn: CERT })).toThrow(/domain/);
    expect(() => synthWith({ name: 'api.example.com', certificateArn: 'cert-1' })).toThrow(/domain/);
    expect(() =>
      synthWith({
        name: 'api.example.com',
        certificateArn: CERT,
        hostedZone: { id: 'Z0123456789ABC', name: 'example.org' },
      }),
    ).toThrow(/not in the hosted zone example.org/);
  });
});
