/**
 * One local stack at a time per `--data-dir` (memory/fixes/0176). A second stack on a directory in
 * use met dynalite's locked store deep inside its emulator child and printed dynalite's stack trace
 * ("Error: Database is closed"); it is refused up front instead, with one line that says why, before
 * anything starts. The lock is proper-lockfile's directory `.milmed-stack.lock` inside the data
 * directory, kept fresh while the stack runs: the lock of a stack that was killed outright goes stale
 * after DATA_DIR_LOCK_STALE_MS and is then taken over.
 */
import { join } from 'node:path';

export const DATA_DIR_LOCK_NAME = '.milmed-stack.lock';
export const DATA_DIR_LOCK_STALE_MS = 10_000;

/** A data directory another stack holds (start.ts exits 1 with its message, as for a busy port). */
export class DataDirInUseError extends Error {}

/** Releases the lock; safe to call more than once, and once the lock was lost. */
export type ReleaseDataDir = () => Promise<void>;

/** Locks `dataDir` (which must exist) for this stack, or throws DataDirInUseError. */
export async function lockDataDir(dataDir: string): Promise<ReleaseDataDir> {
  // proper-lockfile hooks process exit and signals to release its lock: loaded only with a data dir.
  const { default: lockfile } = await import('proper-lockfile');
  let held = true;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dataDir, {
      lockfilePath: join(dataDir, DATA_DIR_LOCK_NAME),
      realpath: false,
      stale: DATA_DIR_LOCK_STALE_MS,
      onCompromised: (error) => {
        // Another stack took it over as stale (this one's event loop stalled): say so, keep serving.
        held = false;
        console.error(`local stack: the lock of the data directory was lost: ${error.message}`);
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') {
      throw new DataDirInUseError(
        `--data-dir "${dataDir}" is in use by another npm start: stop that one, or choose another --data-dir (the lock of a stack that was killed is taken over after ${DATA_DIR_LOCK_STALE_MS / 1000} s)`,
      );
    }
    throw error;
  }
  return async () => {
    if (!held) return;
    held = false;
    await release().catch(() => undefined);
  };
}
