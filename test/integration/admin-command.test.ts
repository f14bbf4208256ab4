/**
 * The admin command (`npm run admin`, scripts/admin.ts) run for real, as a child process, against
 * the real local stack: the invited admin gets the mail, signs in with the temporary password,
 * chooses their own, and the admin route admits them.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `npm run admin -- <args>` as the README shows it, or (`direct`) the script under tsx, which
 * leaves stderr to the command alone (npm adds its own lines when a script fails).
 */
function admin(args: readonly string[], options: { direct?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  // The Node running the tests (24) first on the PATH, as npm scripts have it.
  const env = { ...(options.env ?? process.env), PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
  const child = options.direct
    ? spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { env })
    : spawn('npm', ['run', 'admin', '--', ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function signUpConfirmed(email: string) {
  const signUp = await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD });
  expectWith(signUp.status, signUp.text).toBe(201);
  const confirm = await api.call('POST', '/auth/sign-up/confirm', {
    username: email,
    code: await api.latestCode(email),
  });
  expectWith(confirm.status, confirm.text).toBe(204);
}

async function signIn(email: string, password = PASSWORD) {
  const answer = await api.call('POST', '/auth/sign-in', { username: email, password });
  expectWith(answer.status, answer.text).toBe(200);
  return answer.body as { accessToken: string };
}

/** The admin route, called with `token`, on a fresh confirmed user. */
async function adminReset(token: string) {
  const target = uniqueEmail('reset-target');
  await signUpConfirmed(target);
  return api.call('POST', `/admin/users/${encodeURIComponent(target)}/password-reset`, undefined, { token });
}

describe('npm run admin -- add --local', () => {
  it('invites a new admin, who signs in with the mailed temporary password, chooses their own and is admitted', async () => {
    const email = uniqueEmail('first-admin');

    const added = await admin(['add', email, '--local', stack.url]);
    expectWith(added.code, added.stdout + added.stderr).toBe(0);
    expect(added.stdout).toContain(`Invited ${email} and added them to "admins"`);

    const mails = await api.outbox(email);
    expect(mails).toHaveLength(1);
    const [invite] = mails;
    expect(invite.triggerSource).toBe('CustomMessage_AdminCreateUser');
    expect(invite.body).toContain(invite.code);

    const signIn1 = await api.call('POST', '/auth/sign-in', { username: email, password: invite.code });
    expectWith(signIn1.status, signIn1.text).toBe(200);
    const challenge = signIn1.body.challenge;
    expect(challenge).toMatchObject({ name: 'NEW_PASSWORD_REQUIRED', session: expect.any(String) });
    const chosen = await api.call('POST', '/auth/new-password', {
      username: challenge.username ?? email,
      session: challenge.session,
      newPassword: NEW_PASSWORD,
    });
    expectWith(chosen.status, chosen.text).toBe(200);

    const reset = await adminReset(chosen.body.accessToken);
    expectWith(reset.status, reset.text).toBe(202);

    const again = await admin(['add', email, '--local', stack.url]);
    expectWith(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain(`${email} is already in "admins"`);
    expect(await api.outbox(email)).toHaveLength(1);
  }, 180_000);

  it('adds, lists and removes an existing user: refused before, admitted after, refused again', async () => {
    const email = uniqueEmail('promoted');
    await signUpConfirmed(email);
    const before = await adminReset((await signIn(email)).accessToken);
    expectWith(before.status, before.text).toBe(403);

    const added = await admin(['add', email, '--local', stack.url], { direct: true });
    expectWith(added.code, added.stdout + added.stderr).toBe(0);
    expect(added.stdout).toContain(`${email} already had an account: added them to "admins"`);
    // The group reaches the tokens at the next sign-in.
    const admitted = await adminReset((await signIn(email)).accessToken);
    expectWith(admitted.status, admitted.text).toBe(202);

    const listed = await admin(['list', '--local', stack.url], { direct: true });
    expectWith(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^  ${email.replaceAll('.', '\\.')}  CONFIRMED$`, 'm'));
    expect(listed.stdout).toMatch(/^ {2}admin@example\.com {2}CONFIRMED$/m);

    const removed = await admin(['remove', email, '--local', stack.url], { direct: true });
    expectWith(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`Removed ${email} from "admins"`);
    const relisted = await admin(['list', '--local', stack.url], { direct: true });
    expect(relisted.stdout).not.toContain(email);
    const after = await adminReset((await signIn(email)).accessToken);
    expectWith(after.status, after.text).toBe(403);
  }, 180_000);
});

describe('failures', () => {
  const closedPort = () =>
    new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });

  /** stderr's lines: the command's whole say on a failure. */
  const lines = (stderr: string) => stderr.trimEnd().split('\n');

  it('prints one line when the local stack does not answer', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const ran = await admin(['add', 'x@example.com', '--local', url], { direct: true });
    expectWith(ran.code, ran.stderr).toBe(1);
    expect(lines(ran.stderr)).toEqual([
      `admin: cannot reach the local stack at ${url} (ECONNREFUSED): is npm start running?`,
    ]);
  }, 60_000);

  it('prints one line without AWS credentials', async () => {
    // No credentials anywhere the SDK looks: environment, shared files, instance metadata.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
    Object.assign(env, {
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const ran = await admin(['add', 'x@example.com', '--region', 'eu-west-1'], { direct: true, env });
    expectWith(ran.code, ran.stderr).toBe(1);
    expect(lines(ran.stderr)).toEqual([expect.stringMatching(/^admin: no AWS credentials: /)]);
    expect(ran.stderr).not.toMatch(/^\s+at\s|\.ts:\d+/m);
  }, 60_000);
});
