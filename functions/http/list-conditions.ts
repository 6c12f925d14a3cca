/** GET /api/v1/configurations/reference/conditions (public reference data). */

import { CONDITION_TABLE, REFERENCE_CACHE_HEADERS } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { publicRoute } from '../composition/base.js';

export const handler = publicRoute('list-conditions', {}, () => ok(CONDITION_TABLE, REFERENCE_CACHE_HEADERS));
