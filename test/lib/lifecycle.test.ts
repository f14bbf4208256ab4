/**
 * What the stack does outside itself and what survives it (field report 7 of issue #25): no
 * account-level resource unless asked, what `cdk destroy` keeps with the default retain policy,
 * the way back with `cdk import`, and guards that hold today (trigger permissions, WAF ordering).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from '@jest/globals';
import { PasswordBffStack } from '../../lib/password-bff-stack';
import { type Settings, defaultSettings } from '../../lambdas/shared/settings';

type Resource = {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

function synth(patch: Partial<Settings> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new PasswordBffStack(app, 'PasswordBff', { settings: { ...defaultSettings, ...patch } });
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources as Record<string, Resource> };
}

const idsOf = (resources: Record<string, Resource>, type: string) =>
  Object.keys(resources).filter((id) => resources[id]?.Type === type);

/** Every logical ID a resource refers to (Ref, Fn::GetAtt, Fn::Sub, DependsOn), pseudo parameters excluded. */
function referencesOf(resource: Resource): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') found.add(inner);
      else if (key === 'Fn::GetAtt' && Array.isArray(inner)) found.add(String(inner[0]));
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? String(inner[0]) : String(inner);
        for (const m of text.matchAll(/\$\{([^}.!]+)[^}]*\}/g)) if (m[1]) found.add(m[1]);
        if (Array.isArray(inner)) walk(inner[1]);
      } else walk(inner);
    }
  };
  walk(resource.Properties);
  for (const id of [resource.DependsOn ?? []].flat()) found.add(id);
  return new Set([...found].filter((id) => !id.startsWith('AWS::')));
}

describe('account-level side effects', () => {
  it('creates no API Gateway account setting and no logging role by default', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    const roles = JSON.stringify(template.findResources('AWS::IAM::Role'));
    expect(roles).not.toContain('AmazonAPIGatewayPushToCloudWatchLogs');
    expect(roles).not.toContain('apigateway.amazonaws.com');
  });

  it('still writes access logs and error logs from the stage, which need the Region role set once', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      MethodSettings: Match.arrayWith([Match.objectLike({ ResourcePath: '/*', LoggingLevel: 'ERROR' })]),
    });
  });

  it('sets the account role only with bff:apiGatewayAccountRole, and keeps it when the stack goes', () => {
    const { template, resources } = synth({ apiGatewayAccountRole: true });
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    const [account] = idsOf(resources, 'AWS::ApiGateway::Account');
    const roleRef = (resources[account ?? '']?.Properties?.CloudWatchRoleArn as { 'Fn::GetAtt': string[] })[
      'Fn::GetAtt'
    ][0];
    for (const id of [account, roleRef]) {
      expect(resources[id ?? '']).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    // The stage waits for the account setting: a stage with logging needs the role first.
    const stage = resources[idsOf(resources, 'AWS::ApiGateway::Stage')[0] ?? ''];
    expect(stage?.DependsOn).toContain(account);
  });
});

describe('retention: what cdk destroy keeps with the default retain policy', () => {
  const retainedIds = (resources: Record<string, Resource>) =>
    Object.keys(resources)
      .filter((id) => resources[id]?.DeletionPolicy === 'Retain')
      .sort();

  it('keeps the pool, its client, its groups, everything its triggers need, and the access logs; nothing else', () => {
    const { resources } = synth();
    const triggerParts = Object.keys(resources).filter((id) => id.startsWith('Triggers'));
    const cognitoInvoke = idsOf(resources, 'AWS::Lambda::Permission').filter(
      (id) => resources[id]?.Properties?.Principal === 'cognito-idp.amazonaws.com',
    );
    expect(triggerParts.length).toBeGreaterThanOrEqual(8);
    expect(cognitoInvoke).toHaveLength(2);
    const expected = [
      ...idsOf(resources, 'AWS::Cognito::UserPool'),
      ...idsOf(resources, 'AWS::Cognito::UserPoolClient'),
      ...idsOf(resources, 'AWS::Cognito::UserPoolGroup'),
      // The client secret's source of truth, kept with the client whose secret it is.
      ...idsOf(resources, 'AWS::SecretsManager::Secret').filter((id) => id.startsWith('IdentityClientSecret')),
      ...triggerParts,
      ...cognitoInvoke,
      ...idsOf(resources, 'AWS::Logs::LogGroup').filter((id) => id.startsWith('ApiAccessLogs')),
    ].sort();
    expect(retainedIds(resources)).toEqual(expected);
    for (const id of expected) expect(resources[id]?.UpdateReplacePolicy).toBe('Retain');
  });

  it('keeps each trigger function together with its role, its policies and its log group', () => {
    const { resources } = synth();
    const types = (prefix: string) =>
      Object.keys(resources)
        .filter((id) => id.startsWith(prefix) && resources[id]?.DeletionPolicy === 'Retain')
        .map((id) => resources[id]?.Type)
        .sort();
    for (const trigger of ['TriggersCustomMessage', 'TriggersPostConfirmation']) {
      expect(types(trigger)).toEqual(
        expect.arrayContaining(['AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::Logs::LogGroup']),
      );
    }
  });

  it('keeps nothing with bff:removalPolicy destroy', () => {
    const { resources } = synth({ removalPolicy: 'destroy' });
    expect(retainedIds(resources)).toEqual([]);
  });
});

describe('the way back: cdk import of a kept pool into a new stack', () => {
  const cognitoTypes = ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', 'AWS::Cognito::UserPoolGroup'];

  it('synthesizes the pool without triggers for the import, and only for it', () => {
    const imported = synth({ importUserPool: true });
    const [pool] = Object.values(imported.template.findResources('AWS::Cognito::UserPool'));
    expect(pool?.Properties.LambdaConfig).toBeUndefined();
    const invokes = JSON.stringify(imported.template.findResources('AWS::Lambda::Permission'));
    expect(invokes).not.toContain('cognito-idp.amazonaws.com');
    synth().template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { CustomMessage: Match.anyValue(), PostConfirmation: Match.anyValue() },
    });
  });

  it('imports pool, client and groups on their own: they refer to nothing outside them', () => {
    const { resources } = synth({ importUserPool: true });
    const imported = cognitoTypes.flatMap((type) => idsOf(resources, type));
    expect(imported).toHaveLength(4);
    for (const id of imported) {
      const outside = [...referencesOf(resources[id] as Resource)].filter((ref) => !imported.includes(ref));
      expect({ id, outside }).toEqual({ id, outside: [] });
    }
  });

  it('imports them exactly as the stack defines them, triggers aside, so the next deploy only attaches triggers', () => {
    const normal = synth().resources;
    const imported = synth({ importUserPool: true }).resources;
    for (const type of cognitoTypes) {
      for (const id of idsOf(normal, type)) {
        const { LambdaConfig: _triggers, ...rest } = (normal[id]?.Properties ?? {}) as Record<string, unknown>;
        expect(imported[id]).toEqual({ ...normal[id], Properties: rest });
      }
    }
  });

  it("gives in the README the import mapping CloudFormation needs: this stack's IDs and each type's identifiers", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const inline = /--resource-mapping-inline '([^']+)'/.exec(readme)?.[1];
    expect(inline).toBeDefined();
    const mapping = JSON.parse(inline ?? '{}') as Record<string, Record<string, string>>;
    const { resources } = synth();
    // The identifiers CloudFormation imports each type by, from the CDK CLI's resource database.
    const db = JSON.parse(
      gunzipSync(readFileSync(new URL('../../node_modules/aws-cdk/db.json.gz', import.meta.url))).toString('utf8'),
    ) as { schema: { resource: { entities: { cloudFormationType: string; primaryIdentifier?: string[] }[] } } };
    const identifiers = (type: string) =>
      db.schema.resource.entities.find((e) => e.cloudFormationType === type)?.primaryIdentifier;
    const expected = cognitoTypes.flatMap((type) => idsOf(resources, type));
    expect(Object.keys(mapping).sort()).toEqual(expected.sort());
    for (const [id, keys] of Object.entries(mapping)) {
      const type = resources[id]?.Type ?? '';
      expect(Object.keys(keys).sort()).toEqual([...(identifiers(type) ?? ['?'])].sort());
      if (type === 'AWS::Cognito::UserPoolGroup') expect(keys.GroupName).toBe(resources[id]?.Properties?.GroupName);
    }
  });
});

describe('guards that hold today', () => {
  it('lets Cognito invoke each trigger only on behalf of this pool', () => {
    const { resources } = synth();
    const pool = idsOf(resources, 'AWS::Cognito::UserPool')[0];
    const triggers = idsOf(resources, 'AWS::Lambda::Function').filter((id) => id.startsWith('Triggers'));
    expect(triggers).toHaveLength(2);
    const invokes = idsOf(resources, 'AWS::Lambda::Permission')
      .map((id) => resources[id]?.Properties ?? {})
      .filter((p) => p.Principal === 'cognito-idp.amazonaws.com');
    expect(invokes).toHaveLength(2);
    for (const fn of triggers) {
      const permission = invokes.filter(
        (p) => JSON.stringify(p.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [fn, 'Arn'] }),
      );
      expect(permission).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
          Principal: 'cognito-idp.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': [pool, 'Arn'] },
        },
      ]);
    }
  });

  it('associates the WAF with the stage only once the stage exists', () => {
    const { resources } = synth({ enableWaf: true });
    const [stage] = idsOf(resources, 'AWS::ApiGateway::Stage');
    const [association] = idsOf(resources, 'AWS::WAFv2::WebACLAssociation');
    expect(stage).toBeDefined();
    // A Ref to the stage in the ARN (or a DependsOn) is what makes CloudFormation wait for it.
    expect([...referencesOf(resources[association ?? ''] as Resource)]).toContain(stage);
  });
});
