/** GET /api/v1/configurations/reference/warfare-types (public reference data). */

import { REFERENCE_CACHE_HEADERS, WARFARE_TYPE_LIST } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { publicRoute } from '../composition/base.js';

export const handler = publicRoute('list-warfare-types', {}, () =>
  ok(WARFARE_TYPE_LIST, REFERENCE_CACHE_HEADERS),
);
