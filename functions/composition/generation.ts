/**
 * Composition root of POST /api/v1/generation. MAX_PATIENTS_PER_JOB is the stage's per-job patient cap
 * (job-cap.ts; the request schema follows it); each key's own limits and quotas count in the usage
 * table (USAGE_TABLE). GENERATOR_CONCURRENCY (optional) is how many generators the stage runs at once
 * (its reserved concurrency, or the local workers), for the job's estimated duration; unset, the
 * estimate assumes ASSUMED_GENERATOR_CONCURRENCY (lib/domain/job-duration.ts).
 */
import * as z from 'zod';
import { loadConfig } from '../../lib/core/index.js';
import { GenerationService } from '../../lib/domain/index.js';
import { createSealer, DynamoJobRepository, SqsJobQueue } from '../../lib/infrastructure/index.js';
import { clients, env, usageCounters } from './api.js';
import { configurations } from './configurations.js';
import { maxPatientsPerJob } from './job-cap.js';

const limits = loadConfig(
  z.object({
    /** Days a job record lives (its TTL); the stage gives its files the same lifecycle expiry. */
    JOB_RETENTION_DAYS: z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .default(30),
    GENERATOR_CONCURRENCY: z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(10_000, 'must be at most 10000')
      .optional(),
  }),
);

export const generation = new GenerationService({
  jobs: new DynamoJobRepository(clients.documents, env.JOBS_TABLE),
  queue: new SqsJobQueue(clients.sqs, env.GENERATION_QUEUE_URL),
  configurations,
  usage: usageCounters,
  // Seals encryption passwords (SEALING_KEY_ID: KMS, or SEALING_KEY locally); required here.
  sealer: createSealer(env),
  maxPatientsPerJob,
  jobTtlDays: limits.JOB_RETENTION_DAYS,
  generatorConcurrency: limits.GENERATOR_CONCURRENCY,
});
