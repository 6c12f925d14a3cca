/** POST /api/v1/configurations/validate: 200 {valid, errors[{path, message}]}, nothing saved. */
import { AnyJsonBodySchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { configurations } from '../composition/configurations.js';

export const handler = apiRoute('validate-configuration', { body: AnyJsonBodySchema }, ({ body }) =>
  ok(configurations.validate(body)),
);
