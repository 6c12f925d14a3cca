/** GET /api/v1/presets?category=&difficulty=: scenario presets with categories and difficulty levels. */
import { PresetListQuerySchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { configurations } from '../composition/configurations.js';

export const handler = apiRoute('list-presets', { query: PresetListQuerySchema }, ({ query }) =>
  ok(configurations.listPresets(query)),
);
