import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Owner read and write only: the state holds keys and secrets. */
export const FILE_MODE = 0o600;
/** Owner only, for a folder the store creates. */
export const DIR_MODE = 0o700;

/** Thrown when a state file exists but cannot be read back: never silently reset. */
export class CorruptStateError extends Error {
  constructor(file: string, cause: unknown) {
    super(
      `local state file ${file} is corrupt or half-written (${(cause as Error).message}). ` +
        'Fix or remove it, or start with --reset to wipe local state.',
      { cause },
    );
    this.name = 'CorruptStateError';
  }
}

/**
 * A JSON document kept in memory and persisted atomically (write to a temp file, fsync,
 * rename). `commit()` resolves once a write that includes every change made before the call
 * is on disk; concurrent commits coalesce into at most one write in flight plus one queued.
 * With no file (`file` undefined) it is memory-only.
 *
 * The state holds signing keys, client secrets and password hashes: the file is readable by its
 * owner only (0600, also when it was written before with a wider mode), and a folder the store
 * creates for it is 0700.
 */
export class JsonStore<T> {
  readonly data: T;
  private writing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly file: string | undefined,
    initial: () => T,
  ) {
    this.data = file ? JsonStore.load(file, initial) : initial();
    if (file) {
      mkdirSync(dirname(file), { recursive: true, mode: DIR_MODE });
      writeAtomicSync(file, this.data);
    }
  }

  private static load<T>(file: string, initial: () => T): T {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return initial();
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new CorruptStateError(file, error);
    }
  }

  commit(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    if (!this.writing) {
      this.writing = this.write(file).finally(() => {
        this.writing = undefined;
      });
      return this.writing;
    }
    // A write is in flight with an older snapshot: queue exactly one more after it.
    this.queued ??= this.writing.then(() => {
      this.queued = undefined;
      return this.commit();
    });
    return this.queued;
  }

  private async write(file: string): Promise<void> {
    const tmp = `${file}.${process.pid}.tmp`;
    const handle = await open(tmp, 'w', FILE_MODE);
    try {
      await handle.writeFile(JSON.stringify(this.data));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  }
}

function writeAtomicSync(file: string, data: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data), { mode: FILE_MODE });
  renameSync(tmp, file);
}

export const stateFile = (dir: string | undefined, name: string) => (dir ? join(dir, name) : undefined);
