/** The worker process's plan cache (lib/domain/job-plan-cache.ts): a job's chunks in one process plan it once. */
import { describe, expect, it } from 'vitest';
import { PlanCache } from '../../../lib/domain/job-plan-cache.js';
import { findPreset, presetScenario } from '../../../lib/generation/index.js';

const scenario = { ...presetScenario(findPreset('nato_article_5')!), total_patients: 50 };

describe('plan cache', () => {
  it('plans a job once for its chunks, and again for another seed or job', () => {
    // Prepare
    const cache = new PlanCache();
    const job = { job_id: 'j-1', seed: 7, scenario };
    // Act
    const first = cache.get(job);
    const again = cache.get({ ...job });
    const otherSeed = cache.get({ ...job, seed: '7' });
    const otherJob = cache.get({ ...job, job_id: 'j-2' });
    // Assert
    expect(again).toBe(first);
    expect(otherSeed).not.toBe(first);
    expect(otherJob).not.toBe(first);
    expect(first.totalPatients).toBe(50);
    expect(cache.count).toBe(1);
  });

  it('keeps the last `size` plans, the least recently used going first', () => {
    // Prepare
    const cache = new PlanCache(2);
    const a = cache.get({ job_id: 'a', seed: 1, scenario });
    const b = cache.get({ job_id: 'b', seed: 1, scenario });
    // Act: a used again, then c pushes b out.
    cache.get({ job_id: 'a', seed: 1, scenario });
    cache.get({ job_id: 'c', seed: 1, scenario });
    // Assert
    expect(cache.get({ job_id: 'a', seed: 1, scenario })).toBe(a);
    expect(cache.get({ job_id: 'b', seed: 1, scenario })).not.toBe(b);
    expect(cache.count).toBe(2);
  });
});
