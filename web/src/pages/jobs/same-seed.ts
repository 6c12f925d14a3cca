/** A job's scenario as it ran, and that scenario submitted again with the job's seed. */
import { api, call } from '../../api';
import type { components } from '../../api/schema.js';
import { draftFromConfiguration } from '../scenario/scenario-model';
import { type Job, sameSeedRequest } from './job-view';

type OutputFormat = components['schemas']['GenerationRequest']['output_formats'][number];

/**
 * The scenario a job ran: its inline configuration, else the job's own copy (the stored configuration
 * it named may have been deleted since, or its preset changed).
 */
export async function jobScenario(job: Job): Promise<Record<string, unknown>> {
  if (job.config.configuration) return job.config.configuration;
  const ran = await call(
    api.GET('/api/v1/jobs/{job_id}/scenario', { params: { path: { job_id: job.job_id } } }),
  );
  return ran.scenario;
}

/**
 * Submits the scenario the job ran with its seed and options (`sameSeedRequest`), `addFormats` added to
 * its formats (the same patients in another format); answers the new job's id.
 */
export async function submitSameSeed(
  job: Job,
  password: string | null,
  addFormats: readonly OutputFormat[] = [],
): Promise<string> {
  const request = sameSeedRequest(job, draftFromConfiguration(await jobScenario(job)), password);
  request.output_formats = [...new Set([...request.output_formats, ...addFormats])];
  const created = await call(
    api.POST('/api/v1/generation', {
      body: request,
      headers: { 'Idempotency-Key': crypto.randomUUID() },
    }),
  );
  return created.job_id;
}
