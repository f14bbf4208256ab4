/**
 * Method throttles below Cognito's quotas (issue #15, "Scale on paper"): API Gateway answers 429
 * before Cognito throttles, whatever the mix of routes, and the README says the same numbers.
 * Quotas: https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from '@jest/globals';
import { PasswordBffStack } from '../../lib/password-bff-stack';
import { scaleRows } from '../../lib/scale';
import { routeList } from '../../lambdas/routes';
import {
  COGNITO_QUOTA_CATEGORIES,
  type CognitoQuotaCategory,
  type Settings,
  defaultSettings,
  quotaOf,
  routeThrottles,
} from '../../lambdas/shared/settings';

/** For each category, the sum of the method rates of the routes that spend it. */
function spentPerCategory(settings: Settings) {
  const sums = new Map<CognitoQuotaCategory, number>();
  for (const limit of Object.values(routeThrottles(settings, routeList))) {
    for (const category of limit.categories) sums.set(category, (sums.get(category) ?? 0) + limit.rateLimit);
  }
  return sums;
}

describe('method throttles from the quota table', () => {
  it.each([
    ['the defaults', defaultSettings],
    ['all of the quota', { ...defaultSettings, cognitoQuotaShare: 1 }],
    ['raised quotas', { ...defaultSettings, cognitoQuotas: { UserAuthentication: 1200, UserCreation: 500 } }],
    ['a looser stage', { ...defaultSettings, throttle: { rateLimit: 5000, burstLimit: 5000 } }],
  ])('keep every category under its share of the quota, with %s', (_, settings) => {
    const sums = spentPerCategory(settings);
    expect(sums.size).toBeGreaterThanOrEqual(5);
    for (const [category, sum] of sums) {
      expect({ category, within: sum <= quotaOf(settings, category) * settings.cognitoQuotaShare + 1e-9 }).toEqual({
        category,
        within: true,
      });
    }
  });

  it("never lets a route through faster than its class, nor a burst past its quota's share", () => {
    const throttles = routeThrottles(defaultSettings, routeList);
    for (const route of routeList) {
      const limit = throttles[route.name];
      const cls = route.throttle === 'strict' ? defaultSettings.publicRouteThrottle : defaultSettings.throttle;
      expect(limit?.rateLimit).toBeLessThanOrEqual(cls.rateLimit);
      expect(limit?.burstLimit).toBeLessThanOrEqual(cls.burstLimit);
      expect(limit?.burstLimit).toBeGreaterThanOrEqual(1);
    }
    // The five UserAccountRecovery routes share 80% of 30 rps; a burst of 4 stays inside 4.8.
    expect(throttles.forgotPassword).toMatchObject({ rateLimit: 4.8, burstLimit: 4, limitedBy: 'UserAccountRecovery' });
    // A reset also signs the user out (PostConfirmation): it spends UserUpdate, the tighter one.
    expect(throttles.resetPassword?.categories).toEqual(['UserAccountRecovery', 'UserUpdate']);
    expect(throttles.resetPassword?.limitedBy).toBe('UserUpdate');
  });

  it('follows a raised quota up to the route class', () => {
    const raised = routeThrottles({ ...defaultSettings, cognitoQuotas: { UserRead: 1200 } }, routeList);
    expect(raised.getMe).toMatchObject({ rateLimit: 100, burstLimit: 200 });
    expect(raised.getMe?.limitedBy).toBeUndefined();
  });

  it('refuses a route whose Cognito operation has no category, naming it and the fix', () => {
    const route = { name: 'mystery', operation: 'AdminLinkProviderForUser', actions: [], throttle: 'stage' as const };
    expect(() => routeThrottles(defaultSettings, [route])).toThrow(
      'route mystery: Cognito operation AdminLinkProviderForUser has no quota category; ' +
        'add it to OPERATION_CATEGORY in lambdas/shared/settings.ts',
    );
  });

  it('puts each route throttle on its method of the stage', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const template = Template.fromStack(new PasswordBffStack(app, 'Scale')).toJSON();
    const stage = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>).find(
      (r) => r.Type === 'AWS::ApiGateway::Stage',
    );
    const settings = stage?.Properties.MethodSettings as {
      HttpMethod: string;
      ResourcePath: string;
      ThrottlingRateLimit: number;
      ThrottlingBurstLimit: number;
    }[];
    const throttles = routeThrottles(defaultSettings, routeList);
    for (const route of routeList) {
      const path = `/${route.path.replaceAll('/', '~1')}`;
      const method = settings.find((m) => m.HttpMethod === route.method && m.ResourcePath === path);
      expect({ route: route.name, rate: method?.ThrottlingRateLimit, burst: method?.ThrottlingBurstLimit }).toEqual({
        route: route.name,
        rate: throttles[route.name]?.rateLimit,
        burst: throttles[route.name]?.burstLimit,
      });
    }
  });

  it('knows every category of the quotas page with its default rate', () => {
    expect(COGNITO_QUOTA_CATEGORIES).toMatchObject({
      UserAuthentication: { rps: 120, adjustable: true },
      UserCreation: { rps: 50, adjustable: true },
      UserAccountRecovery: { rps: 30, adjustable: false },
      UserRead: { rps: 120, adjustable: true },
      UserUpdate: { rps: 25, adjustable: false },
      UserResourceUpdate: { rps: 25, adjustable: false },
      UserPoolClientRead: { rps: 15, adjustable: false },
    });
  });
});

describe('README "Scale and cost"', () => {
  it('lists every route with the figures the stack deploys, and no other', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Scale and cost'));
    const rows = section.split('\n').filter((line) => /^\| (GET|POST|PATCH|DELETE) \//.test(line));
    expect(rows).toEqual(scaleRows(defaultSettings));
  });
});
