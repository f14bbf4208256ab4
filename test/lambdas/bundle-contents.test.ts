/**
 * What a function's bundle leaves out, bundled with the CDK app's own esbuild settings: the token checks are handed
 * in by the entries of authenticated routes only (shared/http.ts `TokenChecks`), so a route that takes no token does
 * not load aws-jwt-verify at cold start, and only the admin route carries the admin check; the lazy modules
 * (lib/constructs/bff-function.ts LAZY_MODULES) are shipped beside the bundle, where the function finds them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from '@jest/globals';
import { LAZY_MODULES } from '../../lib/constructs/bff-function';
import { routes } from '../../lambdas/routes';
import { bundle, bundleAsAsset } from '../support/bundle';

it.each(Object.values(routes).map((route) => [route.name, route] as const))(
  '%s bundles the token checks only if it takes a token',
  async (_name, route) => {
    const { inputs } = await bundle(route.entry);
    expect(inputs.some((input) => input.includes('lambdas/shared/http.ts'))).toBe(true);
    expect(inputs.some((input) => input.includes('node_modules/aws-jwt-verify/'))).toBe(route.auth !== 'none');
    expect(inputs.some((input) => input.includes('lambdas/shared/admin-token.ts'))).toBe(route.auth === 'admin');
  },
  60_000,
);

const TRIGGER_ENTRIES = ['lambdas/triggers/custom-message/handler.ts', 'lambdas/triggers/post-confirmation/handler.ts'];

it.each([...Object.values(routes).map((route) => route.entry), ...TRIGGER_ENTRIES])(
  '%s leaves the lazy modules out of its bundle',
  async (entry) => {
    const { inputs } = await bundle(entry);
    for (const module of LAZY_MODULES) {
      expect(inputs.filter((input) => input.includes(`node_modules/${module}/`))).toEqual([]);
    }
    expect(inputs.some((input) => input.includes('lambdas/shared/logger.ts'))).toBe(true);
  },
  60_000,
);

it('a function laid out as its asset loads the logger from beside its bundle on its first line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bff-asset-'));
  try {
    await bundleAsAsset('lambdas/password/forgot.ts', dir);
    // No configuration in the environment: the first invocation fails by name, on a logger line (function.ts).
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.mjs')).href)});
         await handler({}, {}).then(() => process.exit(3), () => process.exit(0));`,
      ],
      { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' },
    );
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find/);
    expect(run.status).toBe(0);
    // Powertools writes an error line on standard error.
    const line = JSON.parse(run.stderr.split('\n').find((l) => l.includes('configuration invalid')) ?? '{}') as Record<
      string,
      unknown
    >;
    expect(line).toMatchObject({ level: 'ERROR', message: 'function configuration invalid' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
