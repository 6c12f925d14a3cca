/** Composition root of the stale-job sweeper (functions/scheduled/sweep-stale-jobs.ts). */
import { stuckJobsRoot } from './stuck-jobs.js';

export const { logger, metrics, stuckJobs } = stuckJobsRoot('sweep-stale-jobs');
