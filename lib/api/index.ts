/** Public names of the HTTP API layer: reference data, HTTP schemas and the OpenAPI document. */

export * from './health.js';
export * from './openapi.js';
export * from './presets.js';
export * from './reference-data.js';
export * from './schemas.js';
