/** GET /openapi.json: the OpenAPI 3.1 document, generated from the zod schemas at cold start. */
import { buildOpenApiDocument } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { publicRoute } from '../composition/base.js';
import { maxPatientsPerJob } from '../composition/job-cap.js';
import { ROUTES } from '../routes.js';

// The generation request's total_patients maximum is the stage's cap (MAX_PATIENTS_PER_JOB).
const document = buildOpenApiDocument(ROUTES, { maxPatientsPerJob });

export const handler = publicRoute('openapi', {}, () =>
  ok(document, { 'Cache-Control': 'public, max-age=300' }),
);
