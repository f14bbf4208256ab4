/** The local stack as a process: restart keeps state, Ctrl-C stops cleanly, a busy port is named. */
import { spawnSync } from 'node:child_process';
import { afterAll, expect, it } from '@jest/globals';
import { PASSWORD, client, removeDir, startStack, uniqueEmail } from '../support/stack';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

it('keeps users across a restart and stops cleanly on SIGINT', async () => {
  const first = await startStack();
  dirs.push(first.dataDir);
  const api = client(first.url);
  const email = uniqueEmail('restart');
  expect((await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD })).status).toBe(201);
  expect(
    (await api.call('POST', '/auth/sign-up/confirm', { username: email, code: await api.latestCode(email) })).status,
  ).toBe(204);
  const exited = new Promise<number | null>((resolve) => first.child.once('exit', (code) => resolve(code)));
  first.child.kill('SIGINT');
  expect(await exited).toBe(0);

  const second = await startStack({ dataDir: first.dataDir });
  try {
    const again = client(second.url);
    expect((await again.call('POST', '/auth/sign-in', { username: email, password: PASSWORD })).status).toBe(200);
    expect((await again.outbox(email)).length).toBe(1);
    expect((await again.events()).some((e) => e.detailType === 'UserConfirmed')).toBe(true);
  } finally {
    await second.stop();
  }
});

it('names the port when it is already in use', async () => {
  const running = await startStack();
  dirs.push(running.dataDir);
  try {
    const port = new URL(running.url).port;
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'local/start.ts', '--port', port, '--data-dir', `${running.dataDir}-2`],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    dirs.push(`${running.dataDir}-2`);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
  } finally {
    await running.stop();
  }
});
