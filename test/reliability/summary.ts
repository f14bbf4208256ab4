/** Figures the reliability tests record; printed as one table when the run ends. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const SUMMARY_FILE = join(process.cwd(), 'test-results', 'reliability.jsonl');

export function record(area: string, figure: string, value: string | number): void {
  mkdirSync(join(process.cwd(), 'test-results'), { recursive: true });
  appendFileSync(SUMMARY_FILE, `${JSON.stringify({ area, figure, value })}\n`);
}
