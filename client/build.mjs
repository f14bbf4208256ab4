/**
 * Builds the client for `npm pack` (prepack): dist/client/index.js, one self-contained ES module without
 * dependencies, and its declarations (dist/client/*.d.ts, relative imports with `.js` so that Node16/NodeNext
 * resolution finds them). Run: `node client/build.mjs`.
 */
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/client`;
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: [`${root}client/index.ts`],
  outfile: `${out}/index.js`,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  legalComments: 'none',
});
execFileSync(
  process.execPath,
  [
    `${root}node_modules/typescript/bin/tsc`,
    ...['--declaration', '--emitDeclarationOnly', '--outDir', out, '--rootDir', `${root}client`],
    ...['--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler'],
    ...['--lib', 'es2023,dom', '--strict', '--skipLibCheck', '--noEmit', 'false'],
    `${root}client/index.ts`,
  ],
  { stdio: 'inherit' },
);
for (const file of readdirSync(out).filter((name) => name.endsWith('.d.ts'))) {
  const path = `${out}/${file}`;
  const text = readFileSync(path, 'utf8')
    .replace(/from '(\.\/[\w-]+)'/g, "from '$1.js'")
    .replace(/import\("(\.\/[\w-]+)"\)/g, 'import("$1.js")');
  if (/from '(?!\.\/)/.test(text)) throw new Error(`${file} imports a package: the client must need none`);
  writeFileSync(path, text);
}
