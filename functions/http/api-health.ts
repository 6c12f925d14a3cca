/** GET /api/v1/health: readiness of the backing tables; 200 healthy, 503 unhealthy. */
import { checkHealth } from '../../lib/api/index.js';
import { json } from '../../lib/core/index.js';
import { GENERATOR_VERSION } from '../../lib/generation/index.js';
import { publicRoute } from '../composition/base.js';
import { probes, stage } from '../composition/health.js';

export const handler = publicRoute('api-health', {}, async () => {
  const health = await checkHealth(probes, { version: GENERATOR_VERSION, stage });
  return json(health.status === 'healthy' ? 200 : 503, health);
});
