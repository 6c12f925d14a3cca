/**
 * The finaliser's time budget (memory/decisions/0914-finaliser-hands-on.md): before it assembles the
 * next object (a file, then the ZIP), the finaliser asks whether what is left of its invocation, less
 * the safety margin the chunks keep (time-budget.ts), surely holds it. When not, it hands the rest on
 * to a fresh invocation instead of being killed by the Lambda timeout.
 *
 * The expectation comes from what this invocation has measured: the objects it assembled, their
 * bytes and their time. An object's time is mostly its bytes copied (UploadPartCopy) plus a few
 * requests, so the next one is expected to take the invocation's average time per byte (the requests'
 * cost spread in, which errs long for a large object after small ones: a hand-on costs one queue hop)
 * and never less than the quickest object so far (those requests alone). Before the first object
 * nothing is known: only the margin counts, and the deadline abort (job-finaliser.ts) stops an object
 * that would run into it.
 */

/** What one invocation of the finaliser has measured of its own assemblies. */
export interface AssemblyTiming {
  /** Objects assembled in this invocation. */
  readonly objects: number;
  /** Their bytes. */
  readonly bytes: number;
  /** The time they took. */
  readonly ms: number;
  /** The quickest of them (0 before the first). */
  readonly fastestMs: number;
}

export const NO_ASSEMBLY_TIMING: AssemblyTiming = { objects: 0, bytes: 0, ms: 0, fastestMs: 0 };

/** The timing after one more object of `bytes` assembled in `ms`. */
export function withAssembly(timing: AssemblyTiming, bytes: number, ms: number): AssemblyTiming {
  return {
    objects: timing.objects + 1,
    bytes: timing.bytes + bytes,
    ms: timing.ms + ms,
    fastestMs: timing.objects === 0 ? ms : Math.min(timing.fastestMs, ms),
  };
}

/** How long an object of `bytes` is expected to take; 0 while nothing is measured. */
export function expectedAssemblyMs(timing: AssemblyTiming, bytes: number): number {
  if (timing.objects === 0) return 0;
  const msPerByte = timing.ms / Math.max(1, timing.bytes);
  return Math.max(timing.fastestMs, bytes * msPerByte);
}

/** The time left, less the margin, does not surely hold an object of `bytes`: hand it on. */
export function cannotHoldNext(
  remainingMs: number,
  marginMs: number,
  timing: AssemblyTiming,
  bytes: number,
): boolean {
  return remainingMs - marginMs <= expectedAssemblyMs(timing, bytes);
}
