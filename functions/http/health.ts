/** GET /health: liveness, no dependencies touched (as the original v1 API). */
import { ok } from '../../lib/core/index.js';
import { publicRoute } from '../composition/base.js';

export const handler = publicRoute('health', {}, () => ok({ status: 'healthy' }));
