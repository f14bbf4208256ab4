/**
 * The client as a frontend project gets it: `npm pack` (which builds it), the tarball unpacked into a fresh
 * project's node_modules (as `npm install <tgz>` would put it; no registry needed, and none of this
 * repository's dependencies, so the client must need none), typechecked there with tsc under NodeNext
 * resolution and without skipLibCheck, then run with node.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { removeDir } from '../support/stack';

const dir = mkdtempSync(join(tmpdir(), 'bff-client-pack-'));
afterAll(() => removeDir(dir));

const CONSUMER = `
import { ProblemError, createClient, createSession, type ProblemCode, type SessionEvent } from 'cognito-password-bff/client';

declare module 'cognito-password-bff/client' {
  interface ClientMetadataKeys {
    tenant?: string;
  }
}

const seen: string[] = [];
const fake: typeof fetch = async (input, init) => {
  seen.push(\`\${init?.method} \${String(input)} \${new Headers(init?.headers).get('x-bff-session')} \${init?.credentials}\`);
  if (String(input).endsWith('/password/forgot')) {
    return new Response(JSON.stringify({ codeDelivery: { destination: 'j***@e***', medium: 'EMAIL', attribute: 'email' } }), { status: 202 });
  }
  if (String(input).endsWith('/auth/sign-in')) return new Response(JSON.stringify({ mode: 'cookie', expiresIn: 3600 }));
  return new Response(JSON.stringify({ status: 401, code: 'NotAuthorized', detail: 'Sign in.' }), { status: 401 });
};

const api = createClient({ baseUrl: 'https://bff.example/v1', fetch: fake });
const forgot = await api.forgotPassword({ username: 'jane@example.com', clientMetadata: { locale: 'fr', tenant: 'acme' } });
const session = createSession({ baseUrl: 'https://bff.example/v1', fetch: fake, locks: null, channel: null, schedule: () => () => {} });
const events: SessionEvent['type'][] = [];
session.onChange((event) => events.push(event.type));
await session.signIn({ username: 'jane@example.com', password: 'x' });
const code: ProblemCode = await api.getMe().then(() => 'Unknown' as const, (e: unknown) => (e as ProblemError).code);
console.log(JSON.stringify({ destination: forgot.codeDelivery.destination, state: session.state.status, events, code, seen }));
`;

it('packs, installs into a fresh project, typechecks there and runs', () => {
  const repo = process.cwd();
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repo, encoding: 'utf8' }),
  ) as { filename: string; files: { path: string }[] }[];
  const files = packed[0]?.files.map((f) => f.path).sort();
  expect(files).toEqual([
    'README.md',
    'dist/client/index.d.ts',
    'dist/client/index.js',
    'dist/client/session.d.ts',
    'dist/client/types.d.ts',
    'package.json',
  ]);

  const project = join(dir, 'app');
  const installed = join(project, 'node_modules', 'cognito-password-bff');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, packed[0]?.filename ?? ''), '-C', installed, '--strip-components=1']);
  expect(readdirSync(join(project, 'node_modules'))).toEqual(['cognito-password-bff']);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022', 'DOM'],
        strict: true,
        skipLibCheck: false,
        types: [],
        outDir: 'out',
      },
      files: ['app.ts'],
    }),
  );
  writeFileSync(join(project, 'app.ts'), CONSUMER);
  execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', project], {
    cwd: project,
    encoding: 'utf8',
  });
  const output = execFileSync(process.execPath, [join(project, 'out/app.js')], { cwd: project, encoding: 'utf8' });
  expect(JSON.parse(output)).toEqual({
    destination: 'j***@e***',
    state: 'signedIn',
    events: ['signedIn'],
    code: 'NotAuthorized',
    seen: [
      'POST https://bff.example/v1/password/forgot null undefined',
      'POST https://bff.example/v1/auth/sign-in cookie include',
      'GET https://bff.example/v1/me null undefined',
    ],
  });
});
