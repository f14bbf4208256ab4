/** Every route of the contract, driven over HTTP against the real local stack, as a frontend would. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { routeList } from '../../lambdas/routes';
import {
  NEW_PASSWORD,
  PASSWORD,
  type RunningStack,
  client,
  removeDir,
  startStack,
  uniqueEmail,
} from '../support/stack';
import { expectWith } from '../support/expect';

let stack: RunningStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startStack();
  api = client(stack.url);
});

afterAll(async () => {
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

async function signUpConfirmed(email: string, password = PASSWORD) {
  const signUp = await api.call('POST', '/auth/sign-up', {
    username: email,
    password,
    attributes: { name: 'Test User' },
  });
  expect(signUp.status).toBe(201);
  const confirm = await api.call('POST', '/auth/sign-up/confirm', {
    username: email,
    code: await api.latestCode(email),
  });
  expect(confirm.status).toBe(204);
}

async function signIn(email: string, password = PASSWORD) {
  const answer = await api.call('POST', '/auth/sign-in', { username: email, password });
  expectWith(answer.status, answer.text).toBe(200);
  return answer.body as { accessToken: string; idToken: string; refreshToken: string };
}

function expectProblem(answer: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.body).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
}

describe('sign-up', () => {
  it('signs up, confirms with the emailed code, publishes UserConfirmed, signs in and reads /me', async () => {
    const email = uniqueEmail('signup');
    const signUp = await api.call('POST', '/auth/sign-up', {
      username: email,
      password: PASSWORD,
      attributes: { name: 'Ada' },
      clientMetadata: { locale: 'de-AT', app: 'Shop' },
    });
    expect(signUp.status).toBe(201);
    expect(signUp.body).toMatchObject({
      userSub: expect.any(String),
      userConfirmed: false,
      codeDelivery: { medium: 'EMAIL' },
    });
    expect(signUp.body.codeDelivery.destination).not.toContain(email);

    const [message] = await api.outbox(email);
    expect(message.triggerSource).toBe('CustomMessage_SignUp');
    expect(message.subject).toContain('Bestätigen');
    expect(message.body).toContain(message.code);

    const early = await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD });
    expectProblem(early, 403, 'UserNotConfirmed');

    const confirm = await api.call('POST', '/auth/sign-up/confirm', { username: email, code: message.code });
    expect(confirm.status).toBe(204);

    const events = await api.events();
    const confirmed = events.find((e) => e.detailType === 'UserConfirmed' && e.detail.sub === signUp.body.userSub);
    expect(confirmed?.detail).toMatchObject({ triggerSource: 'PostConfirmation_ConfirmSignUp', clientMetadata: {} });

    const tokens = await signIn(email);
    const me = await api.call('GET', '/me', undefined, { token: tokens.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.attributes).toMatchObject({ email, name: 'Ada', email_verified: 'true' });
  });

  it('answers resend the same way for a real, an unconfirmed and an unknown user', async () => {
    const confirmed = uniqueEmail('resend-confirmed');
    await signUpConfirmed(confirmed);
    const unconfirmed = uniqueEmail('resend-unconfirmed');
    await api.call('POST', '/auth/sign-up', { username: unconfirmed, password: PASSWORD });
    const answers = await Promise.all(
      [confirmed, unconfirmed, uniqueEmail('resend-unknown')].map((username) =>
        api.call('POST', '/auth/sign-up/resend', { username }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(202);
      expect(Object.keys(answer.body)).toEqual(['codeDelivery']);
      expect(Object.keys(answer.body.codeDelivery).sort()).toEqual(['attribute', 'destination', 'medium']);
    }
    expect((await api.outbox(unconfirmed)).map((m) => m.triggerSource)).toEqual([
      'CustomMessage_SignUp',
      'CustomMessage_ResendCode',
    ]);
  });

  it('refuses a weak password with InvalidPassword and a duplicate with UsernameExists', async () => {
    const email = uniqueEmail('weak');
    expectProblem(
      await api.call('POST', '/auth/sign-up', { username: email, password: 'short1!A' }),
      400,
      'InvalidPassword',
    );
    await signUpConfirmed(email);
    expectProblem(
      await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD }),
      409,
      'UsernameExists',
    );
  });
});

describe('forgot and reset', () => {
  it('runs the whole reset: localized link, wrong code, weak password, success, old sessions out, audit', async () => {
    const email = uniqueEmail('reset');
    await signUpConfirmed(email);
    const before = await signIn(email);
    const me = await api.call('GET', '/me', undefined, { token: before.accessToken });

    const redirectUri = `${stack.url}/reset`;
    const forgot = await api.call('POST', '/password/forgot', {
      username: email,
      clientMetadata: { locale: 'fr', redirectUri },
    });
    expect(forgot.status).toBe(202);
    expect(forgot.body.codeDelivery).toMatchObject({ medium: 'EMAIL', attribute: 'email' });

    const message = (await api.outbox(email)).at(-1);
    expect(message.triggerSource).toBe('CustomMessage_ForgotPassword');
    expect(message.subject).toContain('Réinitialisez');
    expect(message.body).toContain(
      `href="${redirectUri}#code=${message.code}&amp;username=${encodeURIComponent(email)}"`,
    );
    expect(message.body).not.toContain('?code=');

    expectProblem(
      await api.call('POST', '/password/reset', {
        username: email,
        code: '000000' === message.code ? '111111' : '000000',
        password: NEW_PASSWORD,
      }),
      400,
      'CodeMismatch',
    );
    expectProblem(
      await api.call('POST', '/password/reset', { username: email, code: message.code, password: 'weakpassword' }),
      400,
      'InvalidPassword',
    );
    const reset = await api.call('POST', '/password/reset', {
      username: email,
      code: message.code,
      password: NEW_PASSWORD,
      clientMetadata: { locale: 'fr', redirectUri },
    });
    expect(reset.status).toBe(204);

    expectProblem(
      await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD }),
      401,
      'NotAuthorized',
    );
    await signIn(email, NEW_PASSWORD);

    const refresh = await api.call('POST', '/auth/refresh', {
      refreshToken: before.refreshToken,
      username: me.body.username,
    });
    expectProblem(refresh, 401, 'NotAuthorized');
    expectProblem(await api.call('GET', '/me', undefined, { token: before.accessToken }), 401, 'NotAuthorized');

    const events = await api.events();
    const audit = events.find(
      (e) => e.detailType === 'PasswordResetCompleted' && e.detail.sub === me.body.attributes.sub,
    );
    expect(audit?.detail.clientMetadata).toEqual({ locale: 'fr', redirectUri });
  });

  it('answers forgot for an unknown and an unconfirmed user like for a real one', async () => {
    const real = uniqueEmail('forgot-real');
    await signUpConfirmed(real);
    const unconfirmed = uniqueEmail('forgot-unconfirmed');
    await api.call('POST', '/auth/sign-up', { username: unconfirmed, password: PASSWORD });
    const answers = await Promise.all(
      [real, unconfirmed, uniqueEmail('forgot-unknown')].map((username) =>
        api.call('POST', '/password/forgot', { username }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(202);
      expect(answer.body.codeDelivery).toMatchObject({
        destination: expect.stringMatching(/^f\*\*\*@e\*\*\*$/),
        medium: 'EMAIL',
        attribute: 'email',
      });
    }
  });

  it('rejects an off-list redirectUri, and no message carries it', async () => {
    const email = uniqueEmail('phish');
    await signUpConfirmed(email);
    const count = (await api.outbox(email)).length;
    const answer = await api.call('POST', '/password/forgot', {
      username: email,
      clientMetadata: { redirectUri: 'https://evil.example.net/reset' },
    });
    expectProblem(answer, 400, 'ValidationFailed');
    expect(answer.body.errors).toEqual([
      { path: 'clientMetadata.redirectUri', message: 'is not on the redirect allowlist' },
    ]);
    const messages = await api.outbox(email);
    expect(messages).toHaveLength(count);
    expect(JSON.stringify(messages)).not.toContain('evil.example.net');
  });
});

describe('change password', () => {
  it('needs a token, refuses a wrong previous password, then changes it', async () => {
    const email = uniqueEmail('change');
    await signUpConfirmed(email);
    const { accessToken } = await signIn(email);
    expectProblem(
      await api.call('POST', '/password/change', { previousPassword: PASSWORD, proposedPassword: NEW_PASSWORD }),
      401,
      'NotAuthorized',
    );
    expectProblem(
      await api.call(
        'POST',
        '/password/change',
        { previousPassword: 'Wr0ng-Password!!', proposedPassword: NEW_PASSWORD },
        { token: accessToken },
      ),
      401,
      'NotAuthorized',
    );
    const change = await api.call(
      'POST',
      '/password/change',
      { previousPassword: PASSWORD, proposedPassword: NEW_PASSWORD },
      { token: accessToken },
    );
    expect(change.status).toBe(204);
    await signIn(email, NEW_PASSWORD);
  });
});

describe('admin reset', () => {
  it('needs a token and the admins group, then requires a reset the user completes with the emailed code', async () => {
    const email = uniqueEmail('target');
    await signUpConfirmed(email);
    const other = uniqueEmail('not-admin');
    await signUpConfirmed(other);
    const path = `/admin/users/${encodeURIComponent(email)}/password-reset`;

    expectProblem(await api.call('POST', path), 401, 'NotAuthorized');
    const user = await signIn(other);
    expectProblem(await api.call('POST', path, undefined, { token: user.accessToken }), 403, 'Forbidden');

    const admin = await signIn('admin@example.com', 'Local-Admin-Passw0rd!');
    const reset = await api.call('POST', path, { clientMetadata: { locale: 'es' } }, { token: admin.accessToken });
    expect(reset.status).toBe(202);
    expectProblem(
      await api.call('POST', `/admin/users/${encodeURIComponent(uniqueEmail('nobody'))}/password-reset`, undefined, {
        token: admin.accessToken,
      }),
      404,
      'UserNotFound',
    );

    expectProblem(
      await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD }),
      403,
      'PasswordResetRequired',
    );
    const message = (await api.outbox(email)).at(-1);
    expect(message.triggerSource).toBe('CustomMessage_ForgotPassword');
    expect(message.subject).toContain('Debes restablecer');
    expect(
      (await api.call('POST', '/password/reset', { username: email, code: message.code, password: NEW_PASSWORD }))
        .status,
    ).toBe(204);
    await signIn(email, NEW_PASSWORD);
  });
});

describe('self-service account', () => {
  it('updates the name, changes the email through verification, refreshes, signs out and deletes', async () => {
    const email = uniqueEmail('account');
    await signUpConfirmed(email);
    const tokens = await signIn(email);
    const auth = { token: tokens.accessToken };

    const name = await api.call('PATCH', '/me/attributes', { attributes: { name: 'Grace' } }, auth);
    expect(name.status).toBe(200);
    expect(name.body).toEqual({ codeDeliveries: [] });

    const newEmail = uniqueEmail('account-new');
    const change = await api.call('PATCH', '/me/attributes', { attributes: { email: newEmail } }, auth);
    expect(change.status).toBe(200);
    expect(change.body.codeDeliveries).toHaveLength(1);
    let me = await api.call('GET', '/me', undefined, auth);
    expect(me.body.attributes).toMatchObject({ email, name: 'Grace' });

    const resend = await api.call('POST', '/me/attributes/verification-code', { attribute: 'email' }, auth);
    expect(resend.status).toBe(202);
    const code = await api.latestCode(newEmail);
    expectProblem(
      await api.call(
        'POST',
        '/me/attributes/verify',
        { attribute: 'email', code: code === '000000' ? '111111' : '000000' },
        auth,
      ),
      400,
      'CodeMismatch',
    );
    expect((await api.call('POST', '/me/attributes/verify', { attribute: 'email', code }, auth)).status).toBe(204);
    me = await api.call('GET', '/me', undefined, auth);
    expect(me.body.attributes).toMatchObject({ email: newEmail, email_verified: 'true' });

    const refreshed = await api.call('POST', '/auth/refresh', {
      refreshToken: tokens.refreshToken,
      username: me.body.username,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({
      accessToken: expect.any(String),
      idToken: expect.any(String),
      tokenType: 'Bearer',
    });

    expect((await api.call('POST', '/auth/sign-out', undefined, { token: refreshed.body.accessToken })).status).toBe(
      204,
    );
    expectProblem(
      await api.call('POST', '/auth/refresh', { refreshToken: tokens.refreshToken, username: me.body.username }),
      401,
      'NotAuthorized',
    );

    const again = await signIn(newEmail);
    expect((await api.call('DELETE', '/me', undefined, { token: again.accessToken })).status).toBe(204);
    expectProblem(
      await api.call('POST', '/auth/sign-in', { username: newEmail, password: PASSWORD }),
      401,
      'NotAuthorized',
    );
  });

  it('answers a new-password challenge for an account an administrator created', async () => {
    const { CognitoIdentityProviderClient, AdminCreateUserCommand } =
      await import('@aws-sdk/client-cognito-identity-provider');
    const config = (await api.call('GET', '/_local/config')).body;
    const sdk = new CognitoIdentityProviderClient({
      endpoint: config.cognitoEndpoint,
      region: config.region,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const email = uniqueEmail('invited');
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: config.userPoolId,
        Username: email,
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    );
    const invite = (await api.outbox(email)).at(-1);
    expect(invite.triggerSource).toBe('CustomMessage_AdminCreateUser');
    const signInAnswer = await api.call('POST', '/auth/sign-in', { username: email, password: invite.code });
    expect(signInAnswer.status).toBe(200);
    expect(signInAnswer.body.challenge).toMatchObject({ name: 'NEW_PASSWORD_REQUIRED', session: expect.any(String) });
    // The real username (the sub), which Cognito requires in the answer instead of the email alias.
    const { username } = signInAnswer.body.challenge;
    expect(username).toMatch(/^[0-9a-f-]{36}$/);
    const answer = await api.call('POST', '/auth/new-password', {
      username,
      session: signInAnswer.body.challenge.session,
      newPassword: NEW_PASSWORD,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.accessToken).toEqual(expect.any(String));
    await signIn(email, NEW_PASSWORD);
  });
});

describe('hostile input', () => {
  // Every public route that takes a body, from the route table.
  const routes = routeList.filter((r) => r.auth === 'none' && r.schema).map((r) => [r.method, r.path] as const);
  it('covers every public route with a body', () => {
    expect(routes.length).toBeGreaterThanOrEqual(8);
  });
  const bodies: [string, { raw?: string; headers?: Record<string, string> }][] = [
    ['malformed JSON', { raw: '{"username": ' }],
    ['an array', { raw: '[1,2,3]' }],
    ['a string', { raw: '"hello"' }],
    ['null', { raw: 'null' }],
    [
      'prototype keys',
      { raw: '{"__proto__": {"admin": true}, "constructor": {"prototype": {}}, "username": "x@example.com"}' },
    ],
    ['wrong types', { raw: '{"username": 5, "password": ["a"], "code": {}}' }],
    ['unknown fields', { raw: '{"username": "x@example.com", "isAdmin": true}' }],
    ['a huge string', { raw: JSON.stringify({ username: 'x'.repeat(20_000) }) }],
    ['plain text', { raw: 'username=x', headers: { 'content-type': 'text/plain' } }],
    ['no body', { raw: '' }],
  ];
  for (const [method, path] of routes) {
    it(`answers 4xx problems on ${method} ${path}, never a 5xx nor an echo`, async () => {
      for (const [, options] of bodies) {
        const answer = await api.call(method, path, undefined, options);
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
        expect(answer.text).not.toContain('xxxxxxxxxx');
        expect(answer.text).not.toMatch(/at .*\.ts:\d+/);
      }
    });
  }

  it('rejects a forged token on every bearer route with 401', async () => {
    const forged = 'eyJraWQiOiJmb3JnZWQiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4IiwidG9rZW5fdXNlIjoiYWNjZXNzIn0.c2lnbmF0dXJl';
    for (const [method, path] of [
      ['GET', '/me'],
      ['DELETE', '/me'],
      ['PATCH', '/me/attributes'],
      ['POST', '/me/attributes/verify'],
      ['POST', '/me/attributes/verification-code'],
      ['POST', '/auth/sign-out'],
      ['POST', '/password/change'],
      ['POST', '/admin/users/someone%40example.com/password-reset'],
    ] as const) {
      expectProblem(
        await api.call(method, path, method === 'GET' ? undefined : {}, { token: forged }),
        401,
        'NotAuthorized',
      );
    }
  });

  it('serves the OpenAPI document with every route', async () => {
    const doc = await api.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/auth/sign-up',
        '/password/forgot',
        '/admin/users/{username}/password-reset',
        '/me',
        '/me/attributes',
      ]),
    );
  });
});
