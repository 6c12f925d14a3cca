/**
 * A job's running-job slot (UsageCounters, `max_concurrent_jobs`) is taken when the job is created and
 * given back once, when the job ends. A client that sees its job end may start the next one at once,
 * so every write that ends a job (JobTransitions complete and final fail, StuckJobService, JobService
 * cancel and delete) gives the slot back first: it marks the job `slot_released` under its own
 * condition plus "still holds its slot", gives the slot back if that mark applied, then ends the job.
 * Whichever writer marks the job gives the slot back; the others (a run ending again after a crash, a
 * cancel racing the run's end) find it marked and give nothing back.
 * (memory/fixes/0080-a-finished-job-still-held-its-slot.md)
 */
import type { Logger } from '../core/index.js';
import type { UsageCounters } from './api-key.js';
import type { JobRecord } from './job.js';
import type { JobChanges, JobCondition, JobRepository } from './ports.js';

export interface JobSlotsDeps {
  readonly jobs: JobRepository;
  readonly usage: UsageCounters;
  readonly logger?: Logger;
}

export class JobSlots {
  constructor(private readonly deps: JobSlotsDeps) {}

  /**
   * Ends the job with `changes` where `condition` holds, its slot given back first: marks the job
   * `slot_released` (if `condition` holds and it still holds its slot), gives the slot back, then
   * writes `changes`. Resolves with the job as written, or undefined when `condition` did not hold.
   */
  async end(jobId: string, changes: JobChanges, condition: JobCondition): Promise<JobRecord | undefined> {
    const marked = await this.deps.jobs.update(
      jobId,
      { set: { slot_released: true } },
      { ...condition, slotHeld: true },
    );
    if (marked) await this.release(marked);
    return this.deps.jobs.update(jobId, changes, condition);
  }

  /** A failure to give the slot back is logged, not thrown: the job's outcome stands either way. */
  private async release(record: JobRecord): Promise<void> {
    if (!record.key_id) return; // a job from before keys had limits holds no slot
    try {
      await this.deps.usage.releaseJob(record.key_id);
    } catch (error) {
      this.deps.logger?.warn('could not release the running-job slot', {
        job_id: record.job_id,
        key_id: record.key_id,
        cause: error as Error,
      });
    }
  }
}
