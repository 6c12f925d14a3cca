/**
 * Short runs skip V8's optimising compiler (TurboFan). Compiling the engine's hot functions costs
 * about 80 ms of CPU on a 2-core machine, which a run of a few thousand patients never earns back:
 * `generate --count 1000` took 215–250 ms of work with TurboFan and 137 ms without; from about 5,000
 * patients the optimised code wins and 100,000 patients take half the time with it
 * (memory/decisions/0512-short-runs-without-turbofan.md). The flag changes speed only, never output.
 */
import { setFlagsFromString } from 'node:v8';

/** Planned patients up to which a run stays on V8's baseline tiers. */
export const SHORT_RUN_MAX_PATIENTS = 3_000;

/** V8's top tier for short runs: 2 allows Maglev (where Node enables it; Node 20 does not), not TurboFan. */
const SHORT_RUN_MAX_OPT = '--max-opt=2';

/**
 * Caps V8's optimisation tier for a run of `totalPatients` when that is short; V8 flags are global, so
 * only a process the CLI owns is tuned (not a test runner calling the CLI in-process).
 * Returns true when the cap was set.
 */
export function tuneForShortRun(totalPatients: number, ownsProcess: boolean | undefined): boolean {
  if (!ownsProcess || totalPatients > SHORT_RUN_MAX_PATIENTS) return false;
  setFlagsFromString(SHORT_RUN_MAX_OPT);
  return true;
}
