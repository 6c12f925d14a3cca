/** GET /api/v1/configurations/reference/facility-types (public reference data). */

import { FACILITY_TYPES, REFERENCE_CACHE_HEADERS } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { publicRoute } from '../composition/base.js';

export const handler = publicRoute('list-facility-types', {}, () =>
  ok(FACILITY_TYPES, REFERENCE_CACHE_HEADERS),
);
