/** GET /api/v1/configurations/reference/nationalities (public reference data). */

import { NATIONALITIES, REFERENCE_CACHE_HEADERS } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { publicRoute } from '../composition/base.js';

export const handler = publicRoute('list-nationalities', {}, () =>
  ok(NATIONALITIES, REFERENCE_CACHE_HEADERS),
);
