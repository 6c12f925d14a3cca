/**
 * The local stack's generator workers run the generator Lambda's bundle (scripts/build-local-workers.mjs):
 * built into dist/local when missing, rebuilt when a source it was built from is newer, reused
 * otherwise, so a worker never runs stale code and a start with nothing changed costs a few stat calls.
 */
import { readFileSync, utimesSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureLocalWorkerBundles, LOCAL_DIST } from '../../../scripts/build-local-workers.mjs';

const ENTRIES = ['infra/local/worker-process.ts', 'functions/queue/generate-patients.ts'];
const manifest = () =>
  JSON.parse(readFileSync(`${LOCAL_DIST}/inputs.json`, 'utf8')) as { builtAt: number; inputs: string[] };

describe('local worker bundles', () => {
  it('are reused while their sources are unchanged and rebuilt once one is newer', async () => {
    // Prepare: a current build.
    const bundles = await ensureLocalWorkerBundles(ENTRIES);
    const built = manifest().builtAt;

    // Act: again with nothing changed, then after a source of the generator was saved.
    await ensureLocalWorkerBundles(ENTRIES);
    const unchanged = manifest().builtAt;
    await new Promise((r) => setTimeout(r, 5));
    const now = new Date();
    utimesSync('lib/domain/job-chunk-plan.ts', now, now);
    await ensureLocalWorkerBundles(ENTRIES);
    const rebuilt = manifest();

    // Assert
    expect(bundles).toEqual([
      `${LOCAL_DIST}/infra/local/worker-process.mjs`,
      `${LOCAL_DIST}/functions/queue/generate-patients.mjs`,
    ]);
    expect(unchanged).toBe(built);
    expect(rebuilt.builtAt).toBeGreaterThan(built);
    expect(rebuilt.inputs).toEqual(
      expect.arrayContaining(['lib/domain/job-chunk-plan.ts', 'infra/local/queue-poller.ts', ...ENTRIES]),
    );
    expect(rebuilt.inputs.some((input) => input.includes('node_modules'))).toBe(false);
    expect(readFileSync(bundles[1], 'utf8')).toMatch(/export\s*\{[^}]*\bhandler\b/);
  });
});
