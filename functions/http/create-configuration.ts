/** POST /api/v1/configurations: 201 with version 1 of the new configuration. */
import { JsonObjectBodySchema } from '../../lib/api/index.js';
import { created } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { configurations } from '../composition/configurations.js';

export const handler = apiRoute(
  'create-configuration',
  { body: JsonObjectBodySchema },
  async ({ owner, body }) => {
    const configuration = await configurations.create(owner, body);
    return created(configuration, { Location: `/api/v1/configurations/${configuration.id}` });
  },
);
