/**
 * The CustomMessage bundle stays under 100 KB (ROUND2: the template library stays small), bundled
 * with the CDK app's own esbuild settings. `npm run bench` measures its cold start.
 */
import { build } from 'esbuild';
import { expect, it } from '@jest/globals';
import { BUNDLING, PROJECT_ROOT } from '../../../lib/constructs/bff-function';

it('custom-message bundles to less than 100 KB', async () => {
  const result = await build({
    entryPoints: [`${PROJECT_ROOT}lambdas/triggers/custom-message/handler.ts`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: BUNDLING.minify,
    target: BUNDLING.target,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    external: [...BUNDLING.externalModules],
    write: false,
    logLevel: 'error',
  });
  const bytes = result.outputFiles[0]?.contents.length ?? Infinity;
  expect(bytes).toBeGreaterThan(0);
  expect(bytes).toBeLessThan(100 * 1024);
}, 60_000);
