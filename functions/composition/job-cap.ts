/**
 * The stage's per-job patient cap, MAX_PATIENTS_PER_JOB (`maxPatientsPerJob` of infra/config/stages.ts,
 * set by CDK on the job-creating function and the OpenAPI document's; the local stack sets it from
 * LOCAL_STAGE). Absent, it is DEFAULT_MAX_PATIENTS_PER_JOB. Apart from the other roots so the public
 * OpenAPI function reads only this.
 */
import * as z from 'zod';
import { loadConfig } from '../../lib/core/index.js';
import { DEFAULT_MAX_PATIENTS_PER_JOB } from '../../lib/domain/index.js';
import { MAX_PATIENTS } from '../../lib/generation/index.js';

export const JobCapEnvSchema = z.object({
  MAX_PATIENTS_PER_JOB: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_PATIENTS, `must be at most ${MAX_PATIENTS}`)
    .default(DEFAULT_MAX_PATIENTS_PER_JOB),
});

/** Patients one job may hold in this stage. */
export const maxPatientsPerJob = loadConfig(JobCapEnvSchema).MAX_PATIENTS_PER_JOB;
