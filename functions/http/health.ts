/** GET /health: liveness, no dependencies touched (reference §2.11). */
import { ok } from '../../lib/core/index.js';
import { publicRoute } from '../composition/base.js';

export const handler = publicRoute('health', {}, () => ok({ status: 'healthy' }));
