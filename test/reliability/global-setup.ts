/** Starts the reliability run with an empty summary (see global-teardown.ts). */
import { rmSync } from 'node:fs';
import { SUMMARY_FILE } from './summary';

export default function setup() {
  rmSync(SUMMARY_FILE, { force: true });
}
