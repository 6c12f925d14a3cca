/**
 * One `generate` at a time per output directory. Two runs into one --out write the same
 * `NAME.partial` files, interleave their bytes and rename a corrupt file as complete (fix 0116);
 * the second run is refused instead. The lock is proper-lockfile's directory `.milmed.lock` inside
 * --out, kept fresh while the run lasts: a lock left by a killed run (SIGKILL, power loss) goes
 * stale after LOCK_STALE_MS and is then taken over.
 */
import { DirectoryLockedError, lockDirectory, type ReleaseDirectory } from '../core/index.js';
import { fileProblem, UsageError } from './io.js';

export const OUT_LOCK_NAME = '.milmed.lock';
export const LOCK_STALE_MS = 30_000;

/** Releases the lock; safe to call once the lock was lost. */
export type ReleaseOutDir = ReleaseDirectory;

/**
 * Locks `outDir` (which must exist) for this run. `onLost` is called if the lock is taken from the
 * run (it could not be kept fresh within LOCK_STALE_MS, or another run took it as stale): the run
 * must then stop, since its partial files may no longer be its own.
 */
export async function lockOutDir(
  outDir: string,
  outArg: string,
  onLost: (error: Error) => void,
): Promise<ReleaseOutDir> {
  try {
    return await lockDirectory(outDir, { lockName: OUT_LOCK_NAME, staleMs: LOCK_STALE_MS, onLost });
  } catch (error) {
    if (error instanceof DirectoryLockedError) {
      throw new UsageError(
        `--out: another milmed generate is writing into "${outArg}" (${OUT_LOCK_NAME} is held); wait for it to finish or choose another --out (a lock left by a killed run is taken over after ${LOCK_STALE_MS / 1000} s)`,
      );
    }
    throw new UsageError(`--out: cannot lock "${outArg}": ${fileProblem(error)}`);
  }
}
