/** GET /api/v1/presets/{preset_id}: {preset, generation_config}; 404 "Preset 'X' not found". */
import { PresetPathSchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { getPreset } from '../../lib/domain/index.js';
import { apiRoute } from '../composition/api.js';

export const handler = apiRoute('get-preset', { path: PresetPathSchema }, ({ path }) =>
  ok(getPreset(path.preset_id)),
);
