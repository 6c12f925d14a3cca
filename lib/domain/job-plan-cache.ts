/**
 * The event plan of a job, kept by the worker process (memory/decisions/0906-job-fan-out.md): a job's
 * plan depends only on its scenario and seed, and the tasks of one job often reach the same process
 * (the planner runs chunk 0 itself; locally a few workers take every chunk), so planning once per
 * process, not once per chunk, saves a pass over the whole job for each chunk after the first. A plan
 * is read only once built (the engine never writes to it), so chunks of one job may share it.
 *
 * It keeps the last `size` plans (default 1: a plan of a large job holds the whole job's typed arrays).
 */
import { plan as buildPlan, type EventPlan, loadScenario } from '../generation/index.js';
import type { JobRecord } from './job.js';

export class PlanCache {
  /** Most recently used last. */
  private readonly plans = new Map<string, EventPlan>();

  constructor(private readonly size = 1) {}

  /** The job's plan: from the cache when this process planned the same job and seed, else planned now. */
  get(record: Pick<JobRecord, 'job_id' | 'seed' | 'scenario'>): EventPlan {
    const key = `${record.job_id}\u0000${typeof record.seed}:${String(record.seed)}`;
    const cached = this.plans.get(key);
    if (cached) {
      this.plans.delete(key);
      this.plans.set(key, cached);
      return cached;
    }
    const planned = buildPlan(loadScenario(record.scenario), record.seed);
    if (this.size > 0) {
      this.plans.set(key, planned);
      while (this.plans.size > this.size) this.plans.delete(this.plans.keys().next().value as string);
    }
    return planned;
  }

  /** Plans kept now (tests). */
  get count(): number {
    return this.plans.size;
  }
}
