/**
 * The one route table (memory/reference/architecture.md): the CDK RestApi and the local gateway are both built from it, so
 * the two cannot drift. `handler` is the module under functions/http that exports `handler`.
 * Paths are API Gateway resource templates; clients may add a trailing slash.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDefinition {
  /** Logical name: the Lambda function's name suffix and the handler file's base name. */
  readonly name: string;
  readonly method: HttpMethod;
  readonly path: string;
  /** 'api-key' routes need a valid X-API-Key; 'none' routes are public. */
  readonly auth: 'api-key' | 'none';
}

export const ROUTES: readonly RouteDefinition[] = [
  { name: 'create-generation-job', method: 'POST', path: '/api/v1/generation', auth: 'api-key' },
  { name: 'list-jobs', method: 'GET', path: '/api/v1/jobs', auth: 'api-key' },
  { name: 'get-job', method: 'GET', path: '/api/v1/jobs/{job_id}', auth: 'api-key' },
  { name: 'get-job-results', method: 'GET', path: '/api/v1/jobs/{job_id}/results', auth: 'api-key' },
  { name: 'cancel-job', method: 'POST', path: '/api/v1/jobs/{job_id}/cancel', auth: 'api-key' },
  { name: 'delete-job', method: 'DELETE', path: '/api/v1/jobs/{job_id}', auth: 'api-key' },
  { name: 'download-job', method: 'GET', path: '/api/v1/downloads/{job_id}', auth: 'api-key' },
  { name: 'create-configuration', method: 'POST', path: '/api/v1/configurations', auth: 'api-key' },
  { name: 'list-configurations', method: 'GET', path: '/api/v1/configurations', auth: 'api-key' },
  { name: 'get-configuration', method: 'GET', path: '/api/v1/configurations/{config_id}', auth: 'api-key' },
  {
    name: 'update-configuration',
    method: 'PUT',
    path: '/api/v1/configurations/{config_id}',
    auth: 'api-key',
  },
  {
    name: 'delete-configuration',
    method: 'DELETE',
    path: '/api/v1/configurations/{config_id}',
    auth: 'api-key',
  },
  {
    name: 'list-configuration-versions',
    method: 'GET',
    path: '/api/v1/configurations/{config_id}/versions',
    auth: 'api-key',
  },
  {
    name: 'get-configuration-version',
    method: 'GET',
    path: '/api/v1/configurations/{config_id}/versions/{version}',
    auth: 'api-key',
  },
  {
    name: 'validate-configuration',
    method: 'POST',
    path: '/api/v1/configurations/validate',
    auth: 'api-key',
  },
  {
    name: 'list-nationalities',
    method: 'GET',
    path: '/api/v1/configurations/reference/nationalities',
    auth: 'none',
  },
  {
    name: 'list-condition-types',
    method: 'GET',
    path: '/api/v1/configurations/reference/condition-types',
    auth: 'none',
  },
  {
    name: 'list-conditions',
    method: 'GET',
    path: '/api/v1/configurations/reference/conditions',
    auth: 'none',
  },
  {
    name: 'list-facility-types',
    method: 'GET',
    path: '/api/v1/configurations/reference/facility-types',
    auth: 'none',
  },
  {
    name: 'list-warfare-types',
    method: 'GET',
    path: '/api/v1/configurations/reference/warfare-types',
    auth: 'none',
  },
  {
    name: 'list-static-fronts',
    method: 'GET',
    path: '/api/v1/configurations/reference/static-fronts',
    auth: 'none',
  },
  { name: 'list-presets', method: 'GET', path: '/api/v1/presets', auth: 'api-key' },
  { name: 'list-preset-categories', method: 'GET', path: '/api/v1/presets/categories/list', auth: 'api-key' },
  { name: 'get-preset', method: 'GET', path: '/api/v1/presets/{preset_id}', auth: 'api-key' },
  { name: 'health', method: 'GET', path: '/health', auth: 'none' },
  { name: 'api-health', method: 'GET', path: '/api/v1/health', auth: 'none' },
  { name: 'openapi', method: 'GET', path: '/openapi.json', auth: 'none' },
];

/** The SQS-triggered generator. */
export const QUEUE_HANDLERS = [
  { name: 'generate-patients', module: 'functions/queue/generate-patients.ts' },
] as const;

export function handlerModule(route: RouteDefinition): string {
  return `functions/http/${route.name}.ts`;
}
