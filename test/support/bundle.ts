/**
 * A function's bundle as the CDK app builds it (lib/constructs/bff-function.ts BUNDLING), in memory: its bytes and
 * the files it holds.
 */
import { build } from 'esbuild';
import { BUNDLING, PROJECT_ROOT } from '../../lib/constructs/bff-function';

export async function bundle(entry: string): Promise<{ bytes: number; inputs: string[] }> {
  const result = await build({
    entryPoints: [`${PROJECT_ROOT}${entry}`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: BUNDLING.minify,
    target: BUNDLING.target,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    external: [...BUNDLING.externalModules],
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  return { bytes: result.outputFiles[0]?.contents.length ?? Infinity, inputs: Object.keys(result.metafile.inputs) };
}
