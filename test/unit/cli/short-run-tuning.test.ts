/**
 * Short CLI runs skip V8's optimising compiler (lib/cli/short-run-tuning.ts). V8 flags are global to
 * a process, so each case runs in a child process and asks V8 (natives syntax) whether a hot
 * function was optimised.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SHORT_RUN_MAX_PATIENTS } from '../../../lib/cli/short-run-tuning.js';

/** V8's OptimizationStatus bit for "optimised code" (TurboFan). */
const OPTIMISED = 1 << 4;

function optimisationAfterTuning(patients: number, ownsProcess: boolean): { tuned: boolean; status: number } {
  const script = `
    import { tuneForShortRun } from './lib/cli/short-run-tuning.ts';
    const tuned = tuneForShortRun(${patients}, ${ownsProcess});
    function hot(x) { let s = 0; for (let i = 0; i < 100; i++) s += (x * i) % 7; return s; }
    let total = 0;
    for (let i = 0; i < 200000; i++) total += hot(i);
    console.log(JSON.stringify({ tuned, status: %GetOptimizationStatus(hot), total }));`;
  const run = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { tuned: boolean; status: number };
}

describe('short-run tuning of the CLI', () => {
  it('keeps a short run that owns its process off the optimising compiler', () => {
    // Act
    const result = optimisationAfterTuning(1_000, true);
    // Assert
    expect(result.tuned).toBe(true);
    expect(result.status & OPTIMISED).toBe(0);
  });

  it('lets a long run optimise its hot code', () => {
    // Act
    const result = optimisationAfterTuning(SHORT_RUN_MAX_PATIENTS + 1, true);
    // Assert
    expect(result.tuned).toBe(false);
    expect(result.status & OPTIMISED).toBe(OPTIMISED);
  });

  it('never changes V8 flags in a process the CLI does not own (an in-process test runner)', () => {
    // Act
    const result = optimisationAfterTuning(1_000, false);
    // Assert
    expect(result.tuned).toBe(false);
    expect(result.status & OPTIMISED).toBe(OPTIMISED);
  });
});
