/**
 * A function's bundle as the CDK app builds it (lib/constructs/bff-function.ts BUNDLING): in memory, its bytes and
 * the files it holds; or laid out in a directory as its asset is, with the lazy modules beside it.
 */
import { spawnSync } from 'node:child_process';
import { type BuildOptions, build } from 'esbuild';
import { PROJECT_ROOT, esbuildOptions, lazyModulesCommand } from '../../lib/constructs/bff-function';

const options = (entry: string): BuildOptions => ({ entryPoints: [`${PROJECT_ROOT}${entry}`], ...esbuildOptions() });

export async function bundle(entry: string): Promise<{ bytes: number; inputs: string[] }> {
  const result = await build({ ...options(entry), write: false, metafile: true });
  return {
    bytes: result.outputFiles?.[0]?.contents.length ?? Infinity,
    inputs: Object.keys(result.metafile?.inputs ?? {}),
  };
}

/** Writes the function's asset into `dir` as the CDK does: `index.mjs` and the lazy modules' `node_modules/`. */
export async function bundleAsAsset(entry: string, dir: string): Promise<void> {
  await build({ ...options(entry), outfile: `${dir}/index.mjs` });
  const made = spawnSync('bash', ['-c', lazyModulesCommand(PROJECT_ROOT.replace(/\/$/, ''), dir)], {
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`lazy modules: ${made.stderr}`);
}
