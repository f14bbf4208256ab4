/** Writes the custom-message locale index (lambdas/triggers/custom-message/locales/generate.ts). */
import { writeLocaleIndex } from '../lambdas/triggers/custom-message/locales/generate';

const tags = writeLocaleIndex();
if (process.argv.includes('--verbose')) console.log(`message locales: ${tags.join(', ')}`);
