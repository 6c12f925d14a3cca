/** Composition root of the DLQ consumer (functions/queue/dead-letters.ts). */
import { stuckJobsRoot } from './stuck-jobs.js';

export const { logger, metrics, stuckJobs } = stuckJobsRoot('dead-letters');
