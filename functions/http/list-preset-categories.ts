/** GET /api/v1/presets/categories/list: preset categories with their counts. */
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { configurations } from '../composition/configurations.js';

export const handler = apiRoute('list-preset-categories', {}, () =>
  ok(configurations.listPresetCategories()),
);
