/**
 * Composition root of POST /api/v1/generation. MAX_PATIENTS_PER_JOB (optional, default 10000) raises
 * or lowers the per-job patient cap for a deployment (the local stack raises it for benchmarks); each
 * key's own limits and quotas count in the usage table (USAGE_TABLE).
 */
import * as z from 'zod';
import { loadConfig } from '../../lib/core/index.js';
import { GenerationService, MAX_PATIENTS_PER_REQUEST } from '../../lib/domain/index.js';
import { createSealer, DynamoJobRepository, SqsJobQueue } from '../../lib/infrastructure/index.js';
import { clients, env, usageCounters } from './api.js';
import { configurations } from './configurations.js';

const limits = loadConfig(
  z.object({
    MAX_PATIENTS_PER_JOB: z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .default(MAX_PATIENTS_PER_REQUEST),
    /** Days a job record lives (its TTL); the stage gives its files the same lifecycle expiry. */
    JOB_RETENTION_DAYS: z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .default(30),
  }),
);

export const generation = new GenerationService({
  jobs: new DynamoJobRepository(clients.documents, env.JOBS_TABLE),
  queue: new SqsJobQueue(clients.sqs, env.GENERATION_QUEUE_URL),
  configurations,
  usage: usageCounters,
  // Seals encryption passwords (SEALING_KEY_ID: KMS, or SEALING_KEY locally); required here.
  sealer: createSealer(env),
  maxPatientsPerJob: limits.MAX_PATIENTS_PER_JOB,
  jobTtlDays: limits.JOB_RETENTION_DAYS,
});
