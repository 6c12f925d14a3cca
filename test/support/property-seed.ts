/**
 * Property tests draw fresh random inputs on every run, and fast-check prints the seed of a failure.
 * Where FAST_CHECK_SEED is set they replay that seed instead: .ci/run sets it from the commit, so a
 * commit's CI run draws exactly what `FAST_CHECK_SEED=<n> npm test` draws on a laptop
 * (memory/decisions/0943-property-seeds-per-commit-in-ci.md).
 */
import fc from 'fast-check';

/** The seed FAST_CHECK_SEED names, or undefined when unset; an integer of 32 bits, else an error. */
export function propertySeed(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new Error(`FAST_CHECK_SEED must be an integer, got "${value}"`);
  return seed | 0;
}

const seed = propertySeed(process.env.FAST_CHECK_SEED);
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
