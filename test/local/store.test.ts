/** The local state file holds signing keys, client secrets and password hashes: owner-only. */
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from '@jest/globals';
import { JsonStore } from '../../local/store';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bff-store-'));
  dirs.push(dir);
  return dir;
};
const mode = (path: string) => statSync(path).mode & 0o777;

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('creates the file 0600, and the folders it creates 0700, whatever the umask lets through', async () => {
  const previous = process.umask(0o022);
  try {
    const dir = join(fresh(), 'a', 'b');
    const file = join(dir, 'state.json');
    const store = new JsonStore<{ n: number }>(file, () => ({ n: 0 }));
    expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, '..'))).toBe(0o700);
    store.data.n = 1;
    await store.commit();
    expect(mode(file)).toBe(0o600);
  } finally {
    process.umask(previous);
  }
});

it('makes a state file written earlier with a wider mode owner-only on load', () => {
  const file = join(fresh(), 'state.json');
  writeFileSync(file, JSON.stringify({ n: 7 }));
  chmodSync(file, 0o644);
  const store = new JsonStore<{ n: number }>(file, () => ({ n: 0 }));
  expect(store.data.n).toBe(7);
  expect(mode(file)).toBe(0o600);
});

it('leaves the mode of a folder it did not create alone', () => {
  const dir = fresh();
  chmodSync(dir, 0o750);
  new JsonStore<{ n: number }>(join(dir, 'state.json'), () => ({ n: 0 }));
  expect(mode(dir)).toBe(0o750);
});
