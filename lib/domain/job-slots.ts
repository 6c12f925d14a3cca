/**
 * A job's running-job slot (UsageCounters, `max_concurrent_jobs`) is taken when the job is created and
 * given back once, when the job ends. A client that sees its job end may start the next one at once,
 * so a run's own ending writes (JobTransitions complete and final fail, StuckJobService) give the slot
 * back first: they mark the job `slot_released` under the same condition as their ending write, give
 * the slot back, then end the job. An ending write that finds `slot_released` already set (a cancel or
 * delete in between, a run ending again after a crash) gives nothing back.
 * (memory/fixes/0080-a-finished-job-still-held-its-slot.md)
 */
import type { Logger } from '../core/index.js';
import type { UsageCounters } from './api-key.js';
import type { JobRecord } from './job.js';
import type { JobCondition, JobRepository } from './ports.js';

export interface JobSlotsDeps {
  readonly jobs: JobRepository;
  readonly usage: UsageCounters;
  readonly logger?: Logger;
}

export class JobSlots {
  constructor(private readonly deps: JobSlotsDeps) {}

  /**
   * Before a write that ends the job under `condition`: marks the job `slot_released` if `condition`
   * holds and it still holds its slot, then gives the slot back. The ending write follows.
   */
  async releaseBeforeEnd(jobId: string, condition: JobCondition): Promise<void> {
    const marked = await this.deps.jobs.update(
      jobId,
      { set: { slot_released: true } },
      { ...condition, slotHeld: true },
    );
    if (marked) await this.release(marked);
  }

  /** After a write that ended the job (`ended`, as written): gives the slot back unless it was before. */
  async releaseAfterEnd(ended: JobRecord): Promise<void> {
    if (!ended.slot_released) await this.release(ended);
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
