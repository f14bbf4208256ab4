/**
 * `npm run messages:preview`: writes every message x locale as static HTML (index.html and one
 * file per email) to .local/messages/ (gitignored), from the settings of cdk.json and `-c`-free
 * defaults, for a reviewer to see every message before deploy.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsFromContext } from '../lambdas/shared/settings';
import { entryFile, galleryConfig, galleryEntries, galleryPage } from '../local/messages-gallery';

const ROOT = new URL('..', import.meta.url).pathname;
const out = process.env.MESSAGES_PREVIEW_DIR ?? join(ROOT, '.local', 'messages');
const context = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> })
  .context;
const entries = galleryEntries(galleryConfig(settingsFromContext(context ?? {})));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'index.html'), galleryPage(entries, 'files'));
for (const e of entries) writeFileSync(join(out, entryFile(e)), e.message.emailMessage);
console.log(`${entries.length} messages written to ${out}/index.html`);
