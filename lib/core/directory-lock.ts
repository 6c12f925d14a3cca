/**
 * One process at a time in a directory: proper-lockfile's lock directory `lockName` inside it, kept
 * fresh while it is held; the lock of a process killed outright (SIGKILL, power loss) goes stale after
 * `staleMs` and is then taken over. Used by `milmed generate` for its --out (lib/cli/out-dir-lock.ts)
 * and by `npm start` for its --data-dir (infra/local/data-dir-lock.ts), each with its own message.
 */
import { join } from 'node:path';

/** Another process holds the directory's lock. */
export class DirectoryLockedError extends Error {}

export interface DirectoryLockOptions {
  /** Name of the lock directory inside the locked one. */
  readonly lockName: string;
  readonly staleMs: number;
  /** The lock was taken away (not kept fresh in time, or taken over as stale by another process). */
  readonly onLost: (error: Error) => void;
}

/** Releases the lock; safe to call more than once, and once the lock was lost. */
export type ReleaseDirectory = () => Promise<void>;

/**
 * Locks `dir` (which must exist), or throws DirectoryLockedError when another process holds it (any
 * other error as it came).
 */
export async function lockDirectory(dir: string, options: DirectoryLockOptions): Promise<ReleaseDirectory> {
  // Loaded here: proper-lockfile hooks process exit and signals to release its locks, which only a
  // process that locks needs.
  const { default: lockfile } = await import('proper-lockfile');
  let held = true;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: join(dir, options.lockName),
      realpath: false,
      stale: options.staleMs,
      onCompromised: (error) => {
        held = false;
        options.onLost(error);
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED')
      throw new DirectoryLockedError((error as Error).message);
    throw error;
  }
  return async () => {
    if (!held) return;
    held = false;
    await release().catch(() => undefined);
  };
}
