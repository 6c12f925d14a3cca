/**
 * One local stack at a time per `--data-dir` (memory/fixes/0176). A second stack on a directory in
 * use met dynalite's locked store deep inside its emulator child and printed dynalite's stack trace
 * ("Error: Database is closed"); it is refused up front instead, with one line that says why, before
 * anything starts. The lock is `.milmed-stack.lock` inside the data directory (lib/core
 * directory-lock.ts), kept fresh while the stack runs: the lock of a stack that was killed outright
 * goes stale after DATA_DIR_LOCK_STALE_MS and is then taken over.
 */
import { DirectoryLockedError, lockDirectory, type ReleaseDirectory } from '../../lib/core/index.js';

export const DATA_DIR_LOCK_NAME = '.milmed-stack.lock';
export const DATA_DIR_LOCK_STALE_MS = 10_000;

/** A data directory another stack holds (start.ts exits 1 with its message, as for a busy port). */
export class DataDirInUseError extends Error {}

/** Releases the lock; safe to call more than once, and once the lock was lost. */
export type ReleaseDataDir = ReleaseDirectory;

/** Locks `dataDir` (which must exist) for this stack, or throws DataDirInUseError. */
export async function lockDataDir(dataDir: string): Promise<ReleaseDataDir> {
  try {
    return await lockDirectory(dataDir, {
      lockName: DATA_DIR_LOCK_NAME,
      staleMs: DATA_DIR_LOCK_STALE_MS,
      // Another stack took it over as stale (this one's event loop stalled): say so, keep serving.
      onLost: (error) =>
        console.error(`local stack: the lock of the data directory was lost: ${error.message}`),
    });
  } catch (error) {
    if (error instanceof DirectoryLockedError) {
      throw new DataDirInUseError(
        `--data-dir "${dataDir}" is in use by another npm start: stop that one, or choose another --data-dir (the lock of a stack that was killed is taken over after ${DATA_DIR_LOCK_STALE_MS / 1000} s)`,
      );
    }
    throw error;
  }
}
