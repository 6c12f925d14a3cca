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
  /**
   * What the handler may touch: the CDK grants exactly this (least privilege) and gives a public route
   * the environment of each store it names. `{}` for nothing; required, so a new route cannot ship with a
   * guessed policy.
   */
  readonly access: RouteAccess;
}

export type DataAccess = 'read' | 'read-write';

export interface RouteAccess {
  readonly jobs?: DataAccess;
  readonly configurations?: DataAccess;
  /** `read` = GetObject/List (results, presigned downloads); `read-delete` adds DeleteObject. Scoped to `jobs/*`. */
  readonly results?: 'read' | 'read-delete';
  /** SendMessage on the generation queue. */
  readonly enqueue?: boolean;
  /** kms:Encrypt on the job secrets key: seals job encryption passwords. */
  readonly seal?: boolean;
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    name: 'create-generation-job',
    method: 'POST',
    path: '/api/v1/generation',
    auth: 'api-key',
    access: { jobs: 'read-write', configurations: 'read', enqueue: true, seal: true },
  },
  { name: 'list-jobs', method: 'GET', path: '/api/v1/jobs', auth: 'api-key', access: { jobs: 'read' } },
  {
    name: 'get-job',
    method: 'GET',
    path: '/api/v1/jobs/{job_id}',
    auth: 'api-key',
    access: { jobs: 'read' },
  },
  {
    name: 'get-job-results',
    method: 'GET',
    path: '/api/v1/jobs/{job_id}/results',
    auth: 'api-key',
    access: { jobs: 'read', results: 'read' },
  },
  {
    name: 'cancel-job',
    method: 'POST',
    path: '/api/v1/jobs/{job_id}/cancel',
    auth: 'api-key',
    access: { jobs: 'read-write' },
  },
  {
    name: 'delete-job',
    method: 'DELETE',
    path: '/api/v1/jobs/{job_id}',
    auth: 'api-key',
    access: { jobs: 'read-write', results: 'read-delete' },
  },
  {
    name: 'download-job',
    method: 'GET',
    path: '/api/v1/downloads/{job_id}',
    auth: 'api-key',
    access: { jobs: 'read', results: 'read' },
  },
  {
    name: 'create-configuration',
    method: 'POST',
    path: '/api/v1/configurations',
    auth: 'api-key',
    access: { configurations: 'read-write' },
  },
  {
    name: 'list-configurations',
    method: 'GET',
    path: '/api/v1/configurations',
    auth: 'api-key',
    access: { configurations: 'read' },
  },
  {
    name: 'get-configuration',
    method: 'GET',
    path: '/api/v1/configurations/{config_id}',
    auth: 'api-key',
    access: { configurations: 'read' },
  },
  {
    name: 'update-configuration',
    method: 'PUT',
    path: '/api/v1/configurations/{config_id}',
    auth: 'api-key',
    access: { configurations: 'read-write' },
  },
  {
    name: 'delete-configuration',
    method: 'DELETE',
    path: '/api/v1/configurations/{config_id}',
    auth: 'api-key',
    access: { configurations: 'read-write' },
  },
  {
    name: 'list-configuration-versions',
    method: 'GET',
    path: '/api/v1/configurations/{config_id}/versions',
    auth: 'api-key',
    access: { configurations: 'read' },
  },
  {
    name: 'get-configuration-version',
    method: 'GET',
    path: '/api/v1/configurations/{config_id}/versions/{version}',
    auth: 'api-key',
    access: { configurations: 'read' },
  },
  {
    name: 'validate-configuration',
    method: 'POST',
    path: '/api/v1/configurations/validate',
    auth: 'api-key',
    access: {},
  },
  {
    name: 'list-nationalities',
    method: 'GET',
    path: '/api/v1/configurations/reference/nationalities',
    auth: 'none',
    access: {},
  },
  {
    name: 'list-condition-types',
    method: 'GET',
    path: '/api/v1/configurations/reference/condition-types',
    auth: 'none',
    access: {},
  },
  {
    name: 'list-conditions',
    method: 'GET',
    path: '/api/v1/configurations/reference/conditions',
    auth: 'none',
    access: {},
  },
  {
    name: 'list-facility-types',
    method: 'GET',
    path: '/api/v1/configurations/reference/facility-types',
    auth: 'none',
    access: {},
  },
  {
    name: 'list-warfare-types',
    method: 'GET',
    path: '/api/v1/configurations/reference/warfare-types',
    auth: 'none',
    access: {},
  },
  {
    name: 'list-static-fronts',
    method: 'GET',
    path: '/api/v1/configurations/reference/static-fronts',
    auth: 'none',
    access: {},
  },
  { name: 'list-presets', method: 'GET', path: '/api/v1/presets', auth: 'api-key', access: {} },
  {
    name: 'list-preset-categories',
    method: 'GET',
    path: '/api/v1/presets/categories/list',
    auth: 'api-key',
    access: {},
  },
  { name: 'get-preset', method: 'GET', path: '/api/v1/presets/{preset_id}', auth: 'api-key', access: {} },
  { name: 'health', method: 'GET', path: '/health', auth: 'none', access: {} },
  {
    name: 'api-health',
    method: 'GET',
    path: '/api/v1/health',
    auth: 'none',
    access: { jobs: 'read', configurations: 'read' },
  },
  { name: 'openapi', method: 'GET', path: '/openapi.json', auth: 'none', access: {} },
];

/** The SQS-triggered generator. */
export const QUEUE_HANDLERS = [
  { name: 'generate-patients', module: 'functions/queue/generate-patients.ts' },
] as const;

export function handlerModule(route: RouteDefinition): string {
  return `functions/http/${route.name}.ts`;
}
