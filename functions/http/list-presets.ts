/** GET /api/v1/presets?category=&difficulty=: scenario presets with categories and difficulty levels. */
import { PresetListQuerySchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { listPresets } from '../../lib/domain/index.js';
import { apiRoute } from '../composition/api.js';

export const handler = apiRoute('list-presets', { query: PresetListQuerySchema }, ({ query }) =>
  ok(listPresets(query)),
);
