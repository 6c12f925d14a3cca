/**
 * The API Gateway REQUEST authorizer of every non-public route (functions/routes.ts AUTHORIZER):
 * identity source the X-API-Key header; the key service verifies the key against the keys table.
 */
import { authorizer } from '../composition/authorizer.js';

export const handler = authorizer;
