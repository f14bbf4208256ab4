/**
 * The deploy-correctness settings read from cdk.json and from `-c` (strings) alike, with
 * messages that name the key, the value and what is allowed.
 */
import { describe, expect, it } from '@jest/globals';
import { defaultSettings, settingsFromContext } from '../../lambdas/shared/settings';

describe('deploy-correctness settings', () => {
  it('changes nothing outside the stack, ships no source maps and imports nothing by default', () => {
    expect(defaultSettings).toMatchObject({
      apiGatewayAccountRole: false,
      sourceMaps: false,
      importUserPool: false,
      cognitoQuotas: {},
      cognitoQuotaShare: 0.8,
    });
    expect(defaultSettings.email).toBeUndefined();
  });

  it('reads them from -c strings by type', () => {
    const settings = settingsFromContext({
      'bff:apiGatewayAccountRole': 'true',
      'bff:sourceMaps': 'true',
      'bff:importUserPool': 'true',
      'bff:email': '{"from":"no-reply@example.com","replyTo":"help@example.com","sesRegion":"eu-west-1"}',
      'bff:cognitoQuotas': '{"UserAuthentication":1200}',
      'bff:cognitoQuotaShare': '0.5',
    });
    expect(settings).toMatchObject({
      apiGatewayAccountRole: true,
      sourceMaps: true,
      importUserPool: true,
      email: { from: 'no-reply@example.com', replyTo: 'help@example.com', sesRegion: 'eu-west-1' },
      cognitoQuotas: { UserAuthentication: 1200 },
      cognitoQuotaShare: 0.5,
    });
  });

  it('names the key, the value and what is allowed for a bad email setting', () => {
    expect(() => settingsFromContext({ 'bff:email': '{"from":"nobody"}' })).toThrow(
      'bff:email.from: got "nobody", expected the format email',
    );
    expect(() => settingsFromContext({ 'bff:email': '{"from":"a@example.com","region":"eu-west-1"}' })).toThrow(
      'bff:email: got {"from":"a@example.com","region":"eu-west-1"}, unknown keys region',
    );
    expect(() => settingsFromContext({ 'bff:email': 'a@example.com' })).toThrow(
      'bff:email: got "a@example.com", expected a JSON object',
    );
    expect(() =>
      settingsFromContext({ 'bff:email': { from: 'a@mail.example.com', verifiedDomain: 'example.org' } }),
    ).toThrow('email.from "a@mail.example.com" is not an address of email.verifiedDomain "example.org"');
  });

  it('refuses an unknown quota category and a share outside (0, 1]', () => {
    expect(() => settingsFromContext({ 'bff:cognitoQuotas': { UserLogin: 100 } })).toThrow(
      'bff:cognitoQuotas: got {"UserLogin":100}, unknown keys UserLogin',
    );
    expect(() => settingsFromContext({ 'bff:cognitoQuotaShare': '0' })).toThrow(
      'bff:cognitoQuotaShare: got 0, expected more than 0',
    );
    expect(() => settingsFromContext({ 'bff:cognitoQuotaShare': 1.5 })).toThrow(
      'bff:cognitoQuotaShare: got 1.5, expected at most 1',
    );
  });
});
