/** GET /api/v1/presets/categories/list: preset categories with their counts. */
import { ok } from '../../lib/core/index.js';
import { listPresetCategories } from '../../lib/domain/index.js';
import { apiRoute } from '../composition/api.js';

export const handler = apiRoute('list-preset-categories', {}, () => ok(listPresetCategories()));
