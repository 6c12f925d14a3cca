/** GET /api/v1/configurations/reference/condition-types (public reference data). */

import { CONDITION_TYPES, REFERENCE_CACHE_HEADERS } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { publicRoute } from '../composition/base.js';

export const handler = publicRoute('list-condition-types', {}, () =>
  ok(CONDITION_TYPES, REFERENCE_CACHE_HEADERS),
);
