/**
 * The rest of issue 17 against the real local stack, with SES set (bff:email), so that the notices run the code
 * path they run in AWS (a signed SES v2 SendEmail, here to the local SES, whose mail lands in the outbox):
 * - the old address is told about an email change, without the new address in full and without a code;
 * - bff:hideDuplicateSignUp: a sign-up for an existing username answers exactly like a new one, and the owner
 *   is mailed instead;
 * - the per-user cap on verification codes to new addresses (bff:verificationCodeCap): 429 with Retry-After;
 * - a sign-up that writes an attribute the app client may not write is a 403, not a 401.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultSettings } from '../../lambdas/shared/settings';
import {
  NEW_PASSWORD,
  PASSWORD,
  type RunningStack,
  client,
  removeDir,
  startStack,
  uniqueEmail,
} from '../support/stack';

const CAP = 3;
let stack: RunningStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startStack({
    args: [
      '-c',
      'bff:email={"from":"no-reply@example.com","fromName":"Example"}',
      '-c',
      'bff:hideDuplicateSignUp=true',
      '-c',
      `bff:verificationCodeCap={"max":${CAP},"windowMinutes":60}`,
    ],
  });
  api = client(stack.url);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

async function signedIn(label: string) {
  const email = uniqueEmail(label);
  const signUp = await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD });
  expect(signUp.status).toBe(201);
  const code = await api.latestCode(email);
  expect((await api.call('POST', '/auth/sign-up/confirm', { username: email, code })).status).toBe(204);
  const tokens = (await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD })).body;
  return { email, token: tokens.accessToken as string };
}

/** The mail the BFF sent itself (SES) to `to`. */
const notices = async (to: string) => (await api.outbox(to)).filter((m) => m.triggerSource === 'SES');

describe('notice to the old address after an email change', () => {
  it('mails the old address, in the request locale, the new one masked, no code; the change goes through', async () => {
    const { email, token } = await signedIn('notice-old');
    const newEmail = uniqueEmail('notice-new');
    const change = await api.call(
      'PATCH',
      '/me/attributes',
      { attributes: { email: newEmail }, currentPassword: PASSWORD, clientMetadata: { locale: 'de-AT' } },
      { token },
    );
    expect(change.status).toBe(200);
    const [notice, ...more] = await notices(email);
    expect(more).toHaveLength(0);
    expect(notice.subject).toBe('Ihre E-Mail-Adresse wird geändert');
    expect(notice.body).toContain(`${newEmail[0]}***@e***`);
    expect(notice.body).not.toContain(newEmail);
    expect(notice.code).toBe('');
    // The code went to the new address, and only there.
    const code = await api.latestCode(newEmail);
    expect(code).toMatch(/^\d{6}$/);
    expect(notice.body).not.toContain(code);
    expect(await notices(newEmail)).toHaveLength(0);
  });

  it('mails nothing when the email does not change', async () => {
    const { email, token } = await signedIn('notice-name');
    const change = await api.call('PATCH', '/me/attributes', { attributes: { name: 'Ada' } }, { token });
    expect(change.status).toBe(200);
    expect(await notices(email)).toHaveLength(0);
  });
});

describe('hidden duplicate sign-up (bff:hideDuplicateSignUp)', () => {
  const HEADERS_THAT_VARY = new Set(['date', 'x-request-id', 'x-amzn-requestid', 'content-length']);
  const headerNames = (headers: Headers) => [...headers.keys()].filter((name) => !HEADERS_THAT_VARY.has(name)).sort();

  it('answers a sign-up for an existing user exactly like a new one, and mails the owner instead', async () => {
    const { email } = await signedIn('dup-owner');
    const before = await api.outbox(email);
    // Same first letters of local part and domain as the owner's, so that the masked destinations may match.
    const fresh = `${email[0]}fresh.${Date.now()}@example.com`;
    const duplicate = await api.call('POST', '/auth/sign-up', { username: email, password: NEW_PASSWORD });
    const created = await api.call('POST', '/auth/sign-up', { username: fresh, password: NEW_PASSWORD });

    expect(duplicate.status).toBe(201);
    expect(duplicate.status).toBe(created.status);
    expect(headerNames(duplicate.headers)).toEqual(headerNames(created.headers));
    expect(duplicate.headers.get('content-type')).toBe(created.headers.get('content-type'));
    const shape = (body: Record<string, unknown>) => ({ ...body, userSub: typeof body.userSub });
    expect(shape(duplicate.body)).toEqual(shape(created.body));
    expect(duplicate.body.userSub).toMatch(/^[0-9a-f-]{36}$/);

    // No code to the owner: one notice, which names no one and carries nothing a request chose.
    const after = await api.outbox(email);
    expect(after.slice(before.length).map((m) => m.triggerSource)).toEqual(['SES']);
    expect(after.at(-1).subject).toBe('Someone tried to sign up with your email address');
    // The owner's account did not change: the old password still signs in.
    expect((await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD })).status).toBe(200);
  });
});

describe('per-user cap on verification codes to new addresses (bff:verificationCodeCap)', () => {
  it(`sends ${CAP} codes, then answers 429 with the one Retry-After, also to an email change`, async () => {
    const { token } = await signedIn('cap');
    const send = () => api.call('POST', '/me/attributes/verification-code', { attribute: 'email' }, { token });
    for (let i = 0; i < CAP; i++) expect((await send()).status).toBe(202);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.code).toBe('CodeLimitExceeded');
    expect(refused.headers.get('retry-after')).toBe(String(defaultSettings.retryAfterSeconds));

    const newEmail = uniqueEmail('cap-new');
    const change = await api.call(
      'PATCH',
      '/me/attributes',
      { attributes: { email: newEmail }, currentPassword: PASSWORD },
      { token },
    );
    expect(change.status).toBe(429);
    expect(change.body.code).toBe('CodeLimitExceeded');
    expect(await api.outbox(newEmail)).toHaveLength(0);
  });

  it('counts per user: another user still gets codes', async () => {
    const { token } = await signedIn('cap-other');
    const answer = await api.call('POST', '/me/attributes/verification-code', { attribute: 'email' }, { token });
    expect(answer.status).toBe(202);
  });
});

describe('a write to a non-writable attribute', () => {
  it('is a 403 AttributeNotWritable on sign-up, not the 401 of invalid credentials', async () => {
    const answer = await api.call('POST', '/auth/sign-up', {
      username: uniqueEmail('not-writable'),
      password: PASSWORD,
      attributes: { phone_number: '+15555550100' },
    });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('AttributeNotWritable');
  });
});
