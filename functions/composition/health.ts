/**
 * Composition root of GET /api/v1/health: probes that read a (missing) item from each table through
 * the repositories, so the check needs no permission beyond what the API already has.
 */

import type { HealthProbe } from '../../lib/api/index.js';
import { BaseEnvSchema, HttpEnvSchema, loadConfig } from '../../lib/core/index.js';
import {
  awsClients,
  DynamoConfigurationRepository,
  DynamoJobRepository,
} from '../../lib/infrastructure/index.js';

const env = loadConfig(
  BaseEnvSchema.extend(HttpEnvSchema.pick({ JOBS_TABLE: true, CONFIGURATIONS_TABLE: true }).shape),
);
const clients = awsClients();
const jobsRepo = new DynamoJobRepository(clients.documents, env.JOBS_TABLE);
const configurationsRepo = new DynamoConfigurationRepository(clients.documents, env.CONFIGURATIONS_TABLE);

const PROBE_ID = '__health_probe__';

export const probes: Record<string, HealthProbe> = {
  jobs_table: () => jobsRepo.get(PROBE_ID),
  configurations_table: () => configurationsRepo.getHead(PROBE_ID),
};

export const stage = env.STAGE;
