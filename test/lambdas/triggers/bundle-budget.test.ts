/**
 * The CustomMessage bundle stays under 100 KB (ROUND2: the template library stays small), bundled
 * with the CDK app's own esbuild settings. `npm run bench` measures its cold start.
 */
import { expect, it } from '@jest/globals';
import { bundle } from '../../support/bundle';

it('custom-message bundles to less than 100 KB', async () => {
  const { bytes } = await bundle('lambdas/triggers/custom-message/handler.ts');
  expect(bytes).toBeGreaterThan(0);
  expect(bytes).toBeLessThan(100 * 1024);
}, 60_000);
