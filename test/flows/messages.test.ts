/**
 * What an attacker can put into a request and into the mail it causes (issue #17): nesting,
 * the redirect allowlist, the link's purpose, app ids, names in mail to unverified addresses.
 * Part of the flow suite: written once against a target (test/support/target.ts).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { routeList } from '../../lambdas/routes';
import { settingsFromContext } from '../../lambdas/shared/settings';
import {
  call,
  expectProblem,
  latestMessage,
  PASSWORD,
  signIn,
  signInAsAdmin,
  signUpConfirmed,
  target,
  uniqueEmail,
  useFlow,
} from './flow';

useFlow();

/** The settings the target runs with: cdk.json's, as synth and the local stack read them. */
const settings = settingsFromContext(
  (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> })
    .context,
);

describe('body parsing', () => {
  const routes = routeList.filter((r) => r.schema).map((r) => [r.method, r.path, r.auth] as const);
  const tokens: Partial<Record<'user' | 'admin', string>> = {};
  beforeAll(async () => {
    const email = uniqueEmail('deep');
    await signUpConfirmed(email);
    tokens.user = (await signIn(email)).accessToken;
    tokens.admin = (await signInAsAdmin()).accessToken;
  });

  it.each(routes)(
    '%s %s answers an 8000-deep body under the size limit with a 400, not a 500',
    async (method, path, auth) => {
      const token = auth === 'none' ? undefined : tokens[auth];
      for (const raw of [
        `${'['.repeat(8000)}${']'.repeat(8000)}`,
        `{"username":${'['.repeat(7990)}${']'.repeat(7990)}}`,
      ]) {
        expect(raw.length).toBeLessThan(16 * 1024);
        const answer = await call(method, path.replace('{username}', 'someone%40example.com'), undefined, {
          raw,
          ...(token ? { token } : {}),
        });
        expectProblem(answer, 400, 'ValidationFailed');
        expect(answer.body.detail).toBe('The body is nested too deeply.');
      }
    },
  );
});

describe('links in mail', () => {
  const href = (body: string) => /href="([^"]*)"/.exec(body)?.[1]?.replaceAll('&amp;', '&');

  it('states what each link is for: flow=confirm on a sign-up mail, flow=reset on a reset mail', async () => {
    const email = uniqueEmail('flow');
    const redirectUri = target().redirectUri;
    const signUp = await call('POST', '/auth/sign-up', {
      username: email,
      password: PASSWORD,
      clientMetadata: { redirectUri },
    });
    expect(signUp.status).toBe(201);
    const confirmMail = await latestMessage(email);
    expect(href(confirmMail.body)).toBe(
      `${redirectUri}#flow=confirm&code=${confirmMail.code}&username=${encodeURIComponent(email)}`,
    );
    expect((await call('POST', '/auth/sign-up/confirm', { username: email, code: confirmMail.code })).status).toBe(204);

    expect((await call('POST', '/password/forgot', { username: email, clientMetadata: { redirectUri } })).status).toBe(
      202,
    );
    const resetMail = await latestMessage(email);
    expect(resetMail.triggerSource).toBe('CustomMessage_ForgotPassword');
    expect(href(resetMail.body)).toBe(
      `${redirectUri}#flow=reset&code=${resetMail.code}&username=${encodeURIComponent(email)}`,
    );
  });

  it('refuses a variant of an allowlisted redirectUri with a query or an encoded separator, and mails nothing', async () => {
    const email = uniqueEmail('variant');
    await signUpConfirmed(email);
    const count = (await target().messages(email)).length;
    const redirectUri = target().redirectUri;
    for (const variant of [
      `${redirectUri}?next=https://evil.example.net`,
      `${redirectUri}%2f..%2fadmin`,
      `${redirectUri}%5C..%5Cadmin`,
      `${redirectUri}#flow=confirm`,
    ]) {
      const answer = await call('POST', '/password/forgot', {
        username: email,
        clientMetadata: { redirectUri: variant },
      });
      expectProblem(answer, 400, 'ValidationFailed');
      expect(answer.body.errors).toEqual([
        { path: 'clientMetadata.redirectUri', message: 'is not on the redirect allowlist' },
      ]);
    }
    expect(await target().messages(email)).toHaveLength(count);
  });
});

describe('app', () => {
  it('names an app only by a configured id: its display name in the mail, any other value a 400', async () => {
    const [id, displayName] = Object.entries(settings.apps)[0] ?? [];
    expect(id && displayName).toBeTruthy();
    const email = uniqueEmail('app');
    for (const app of [displayName, 'Your account is locked: call +1 555 0100', `${id}x`]) {
      const refused = await call('POST', '/auth/sign-up', {
        username: email,
        password: PASSWORD,
        clientMetadata: { app },
      });
      expectProblem(refused, 400, 'ValidationFailed');
      expect(refused.body.errors).toEqual([{ path: 'clientMetadata.app', message: 'is not a configured app' }]);
    }
    expect(await target().messages(email)).toHaveLength(0);

    const signUp = await call('POST', '/auth/sign-up', {
      username: email,
      password: PASSWORD,
      clientMetadata: { app: id },
    });
    expect(signUp.status).toBe(201);
    const mail = await latestMessage(email);
    expect(mail.subject).toBe(`Confirm your ${displayName} account`);
    expect(mail.body).toContain(`Sent by ${displayName}.`);
  });
});

describe('names in mail', () => {
  it('greets neutrally on a sign-up mail (an unverified address), and by name once the address is proven', async () => {
    const email = uniqueEmail('name');
    const name = 'Claim your prize at evil.example.net';
    expect(
      (await call('POST', '/auth/sign-up', { username: email, password: PASSWORD, attributes: { name } })).status,
    ).toBe(201);
    const confirmMail = await latestMessage(email);
    expect(confirmMail.triggerSource).toBe('CustomMessage_SignUp');
    expect(JSON.stringify(confirmMail)).not.toContain('evil.example.net');
    expect(confirmMail.body).toContain('Hello,');

    expect((await call('POST', '/auth/sign-up/resend', { username: email })).status).toBe(202);
    const resendMail = await latestMessage(email);
    expect(resendMail.triggerSource).toBe('CustomMessage_ResendCode');
    expect(JSON.stringify(resendMail)).not.toContain('evil.example.net');

    expect((await call('POST', '/auth/sign-up/confirm', { username: email, code: resendMail.code })).status).toBe(204);
    expect((await call('POST', '/password/forgot', { username: email })).status).toBe(202);
    expect((await latestMessage(email)).body).toContain(`Hello ${name},`);
  });
});

describe('the contract document', () => {
  it('states the clientMetadata rules on every body that takes clientMetadata', async () => {
    const doc = (await call('GET', '/openapi.json')).body;
    const forgot = doc.paths['/password/forgot'].post.requestBody.content['application/json'].schema;
    const description: string = forgot.properties.clientMetadata.description;
    expect(description).toContain('#flow=<confirm|reset|verify|invite|sign-in>');
    expect(description).toContain('no query');
    expect(description).toContain('%2f, %5c');
    expect(description).toContain("`app` (an id of the deployment's bff:apps");
  });
});
