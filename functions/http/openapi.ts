/** GET /openapi.json: the OpenAPI 3.1 document, generated from the zod schemas at cold start. */
import { buildOpenApiDocument } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { publicRoute } from '../composition/base.js';
import { ROUTES } from '../routes.js';

const document = buildOpenApiDocument(ROUTES);

export const handler = publicRoute('openapi', {}, () =>
  ok(document, { 'Cache-Control': 'public, max-age=300' }),
);
