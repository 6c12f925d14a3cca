/**
 * The job a submit has just created, handed from the page that created it to the jobs list, so the list
 * shows it (with its progress bar) at once instead of after its first request: a small job can finish
 * before that request answers, and the planner would never see it run.
 */
import type { Job } from './job-view.js';

let submitted: Job | null = null;

export function handOverSubmittedJob(job: Job): void {
  submitted = job;
}

/** The handed-over job if it is the one the list was opened for; it is taken only once. */
export function takeSubmittedJob(jobId: string | null): Job | null {
  const job = submitted;
  submitted = null;
  return job && job.job_id === jobId ? job : null;
}
