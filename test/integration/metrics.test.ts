/**
 * The local stack captures the functions' EMF metric lines and serves them at `/_local/metrics` (and a small
 * HTML view), loopback only. A flow emits the metrics the dashboard reads: names and dimensions of the one table
 * (lambdas/shared/metrics.ts), from which lib/constructs/operations.ts builds the dashboard (test/lib/operations).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { METRICS, METRICS_NAMESPACE } from '../../lambdas/shared/metrics';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { PASSWORD, client, uniqueEmail } from '../support/stack';

interface Total {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  value: number;
}

/** A GET with a Host header of our choosing (fetch does not let one set Host). */
const getWithHost = (base: string, path: string, host: string) =>
  new Promise<number>((resolve, reject) => {
    const url = new URL(path, base);
    request({ host: url.hostname, port: url.port, path, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });

describe('local metrics', () => {
  let stack: LocalStack;
  let api: ReturnType<typeof client>;
  const email = uniqueEmail('metrics');

  beforeAll(async () => {
    // In process, as `npm start` runs it: the functions' metrics go to this stack's capture.
    stack = await startLocalStack({ port: 0 });
    api = client(stack.url);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const totals = async () => (await api.call('GET', '/_local/metrics')).body.totals as Total[];
  const total = (all: Total[], name: string, dimensions: Record<string, string>) =>
    all.find(
      (t) =>
        t.name === name && JSON.stringify(t.dimensions) === JSON.stringify({ service: 'password-bff', ...dimensions }),
    )?.value ?? 0;

  it('shows what a sign-up, a confirmation and two sign-ins emitted', async () => {
    const before = await totals();
    const signUp = await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD });
    expect(signUp.status).toBe(201);
    const confirm = await api.call('POST', '/auth/sign-up/confirm', {
      username: email,
      code: await api.latestCode(email),
    });
    expect(confirm.status).toBe(204);
    expect((await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD })).status).toBe(200);
    expect((await api.call('POST', '/auth/sign-in', { username: email, password: `${PASSWORD}x` })).status).toBe(401);
    const after = await totals();
    const grew = (name: string, dimensions: Record<string, string>) =>
      total(after, name, dimensions) - total(before, name, dimensions);
    expect({
      signUp: grew('Requests', { route: 'signUp', outcome: 'ok' }),
      confirm: grew('Requests', { route: 'confirmSignUp', outcome: 'ok' }),
      signIn: grew('Requests', { route: 'signIn', outcome: 'ok' }),
      refused: grew('Requests', { route: 'signIn', outcome: 'NotAuthorized' }),
      mail: grew('MessagesSent', { triggerSource: 'CustomMessage_SignUp' }),
      group: grew('PostConfirmationActions', { action: 'addToGroup', outcome: 'ok' }),
      audit: grew('PostConfirmationActions', { action: 'auditEvent', outcome: 'ok' }),
    }).toEqual({ signUp: 1, confirm: 1, signIn: 1, refused: 1, mail: 1, group: 1, audit: 1 });
  });

  it('emits only the metrics of the table the dashboard is built from, with their dimensions, no personal data', async () => {
    const all = await totals();
    expect(all.length).toBeGreaterThan(0);
    for (const t of all) {
      expect(t.namespace).toBe(METRICS_NAMESPACE);
      const spec = METRICS[t.name as keyof typeof METRICS];
      expect({ name: t.name, known: spec !== undefined }).toEqual({ name: t.name, known: true });
      expect(Object.keys(t.dimensions).sort()).toEqual(['service', ...spec.dimensions].sort());
    }
    const lines = JSON.stringify((await api.call('GET', '/_local/metrics')).body.lines);
    expect(lines).toContain('"_aws"');
    expect(lines).not.toContain(email);
    expect(lines).not.toContain(PASSWORD);
  });

  it('shows them on a small page, and answers only on loopback', async () => {
    const page = await api.call('GET', '/_local/metrics.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('/_local/metrics.js');
    const port = new URL(stack.url).port;
    for (const path of ['/_local/metrics', '/_local/metrics.html', '/_local/metrics.js']) {
      expect({ path, status: await getWithHost(stack.url, path, `localhost:${port}`) }).toEqual({ path, status: 200 });
      expect({ path, status: await getWithHost(stack.url, path, `evil.example:${port}`) }).toEqual({
        path,
        status: 403,
      });
    }
  });
});
