/** Prints the figures the reliability tests recorded as one table when the run ends. */
import { existsSync, readFileSync } from 'node:fs';
import { SUMMARY_FILE } from './summary';

export default function teardown() {
  if (!existsSync(SUMMARY_FILE)) return;
  const rows = readFileSync(SUMMARY_FILE, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { area: string; figure: string; value: string | number });
  const width = Math.max(...rows.map((r) => `${r.area}  ${r.figure}`.length));
  console.log('\nReliability summary');
  console.log('-'.repeat(width + 20));
  for (const r of rows) console.log(`${`${r.area}  ${r.figure}`.padEnd(width)}  ${r.value}`);
  console.log('-'.repeat(width + 20));
}
