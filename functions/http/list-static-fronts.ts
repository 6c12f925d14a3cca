/** GET /api/v1/configurations/reference/static-fronts (public reference data). */

import { REFERENCE_CACHE_HEADERS, STATIC_FRONTS } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { publicRoute } from '../composition/base.js';

export const handler = publicRoute('list-static-fronts', {}, () =>
  ok(STATIC_FRONTS, REFERENCE_CACHE_HEADERS),
);
