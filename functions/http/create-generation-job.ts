/**
 * POST /api/v1/generation: 201 {job_id, status, message, estimated_duration, seed}. An
 * Idempotency-Key header makes a retry return the job it already created (marked Idempotent-Replayed).
 * The caller's key limits the job: 403 over its patients per job, 429 at its concurrency or daily quotas.
 */
import { generationRequestBodySchema, idempotencyKeyOf } from '../../lib/api/index.js';
import { created } from '../../lib/core/index.js';
import { apiRoute, metrics } from '../composition/api.js';
import { generation } from '../composition/generation.js';
import { maxPatientsPerJob } from '../composition/job-cap.js';

export const handler = apiRoute(
  'create-generation-job',
  // total_patients is bounded by the stage's cap (MAX_PATIENTS_PER_JOB), as the OpenAPI document says.
  { body: generationRequestBodySchema(maxPatientsPerJob) },
  async ({ principal, body, headers, requestId }) => {
    const result = await generation.submit(principal, body, {
      idempotencyKey: idempotencyKeyOf(headers),
      correlationId: requestId,
    });
    if (result.created) metrics.jobCreated();
    return created(result.response, {
      Location: `/api/v1/jobs/${result.job.job_id}`,
      ...(result.created ? {} : { 'Idempotent-Replayed': 'true' }),
    });
  },
);
