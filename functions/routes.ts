/**
 * The one route table (memory/reference/architecture.md): the CDK RestApi and the local gateway are both built from it, so
 * the two cannot drift. `handler` is the module under functions/http that exports `handler`.
 * Paths are API Gateway resource templates; clients may add a trailing slash.
 */

import type { RouteAuth } from '../lib/core/index.js';

export type { RouteAuth };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDefinition {
  /** Logical name: the Lambda function's name suffix and the handler file's base name. */
  readonly name: string;
  readonly method: HttpMethod;
  readonly path: string;
  /**
   * Who may call it: 'public' needs no key; 'generate' and 'admin' need a valid X-API-Key (checked by
   * the API-key authorizer, AUTHORIZER below) whose scopes include that scope.
   */
  readonly auth: RouteAuth;
  /**
   * What the handler may touch: the CDK grants exactly this (least privilege) and gives a public route
   * the environment of each store it names. `{}` for nothing; required, so a new route cannot ship with a
   * guessed policy.
   */
  readonly access: RouteAccess;
  /** A handler that needs more than the HTTP functions' 512 MB and 15 s (infra/stacks/api-stack.ts). */
  readonly sizing?: RouteSizing;
}

/** Lambda memory (CPU follows it: 1,769 MB is one vCPU) and timeout of one route's function. */
export interface RouteSizing {
  readonly memoryMb: number;
  /** At most 28: API Gateway ends every request at 29 s. */
  readonly timeoutSeconds: number;
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
  /**
   * The API keys table (admin routes). Every non-public route may also update the usage table (its
   * rate-limit counters): not listed here, granted to every non-public function.
   */
  readonly keys?: DataAccess;
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    name: 'create-generation-job',
    method: 'POST',
    path: '/api/v1/generation',
    auth: 'generate',
    access: { jobs: 'read-write', configurations: 'read', enqueue: true, seal: true },
  },
  { name: 'list-jobs', method: 'GET', path: '/api/v1/jobs', auth: 'generate', access: { jobs: 'read' } },
  {
    name: 'get-job',
    method: 'GET',
    path: '/api/v1/jobs/{job_id}',
    auth: 'generate',
    access: { jobs: 'read' },
  },
  {
    name: 'get-job-scenario',
    method: 'GET',
    path: '/api/v1/jobs/{job_id}/scenario',
    auth: 'generate',
    access: { jobs: 'read' },
  },
  {
    name: 'get-job-results',
    method: 'GET',
    path: '/api/v1/jobs/{job_id}/results',
    auth: 'generate',
    access: { jobs: 'read', results: 'read' },
    // A filtered page reads the job's whole patient file, CPU-bound (about 2-3 s per 200,000 patients
    // on one core): a full vCPU and the gateway's limit, so a 1,000,000-patient job's filters answer
    // (memory/fixes/0183-filtered-results-of-large-jobs-timed-out.md).
    sizing: { memoryMb: 1769, timeoutSeconds: 28 },
  },
  {
    name: 'cancel-job',
    method: 'POST',
    path: '/api/v1/jobs/{job_id}/cancel',
    auth: 'generate',
    access: { jobs: 'read-write' },
  },
  {
    name: 'delete-job',
    method: 'DELETE',
    path: '/api/v1/jobs/{job_id}',
    auth: 'generate',
    access: { jobs: 'read-write', results: 'read-delete' },
  },
  {
    name: 'download-job',
    method: 'GET',
    path: '/api/v1/downloads/{job_id}',
    auth: 'generate',
    access: { jobs: 'read', results: 'read' },
  },
  {
    name: 'create-configuration',
    method: 'POST',
    path: '/api/v1/configurations',
    auth: 'generate',
    access: { configurations: 'read-write' },
  },
  {
    name: 'list-configurations',
    method: 'GET',
    path: '/api/v1/configurations',
    auth: 'generate',
    access: { configurations: 'read' },
  },
  {
    name: 'get-configuration',
    method: 'GET',
    path: '/api/v1/configurations/{config_id}',
    auth: 'generate',
    access: { configurations: 'read' },
  },
  {
    name: 'update-configuration',
    method: 'PUT',
    path: '/api/v1/configurations/{config_id}',
    auth: 'generate',
    access: { configurations: 'read-write' },
  },
  {
    name: 'delete-configuration',
    method: 'DELETE',
    path: '/api/v1/configurations/{config_id}',
    auth: 'generate',
    access: { configurations: 'read-write' },
  },
  {
    name: 'list-configuration-versions',
    method: 'GET',
    path: '/api/v1/configurations/{config_id}/versions',
    auth: 'generate',
    access: { configurations: 'read' },
  },
  {
    name: 'get-configuration-version',
    method: 'GET',
    path: '/api/v1/configurations/{config_id}/versions/{version}',
    auth: 'generate',
    access: { configurations: 'read' },
  },
  {
    name: 'validate-configuration',
    method: 'POST',
    path: '/api/v1/configurations/validate',
    auth: 'generate',
    access: {},
  },
  {
    name: 'list-nationalities',
    method: 'GET',
    path: '/api/v1/configurations/reference/nationalities',
    auth: 'public',
    access: {},
  },
  {
    name: 'list-condition-types',
    method: 'GET',
    path: '/api/v1/configurations/reference/condition-types',
    auth: 'public',
    access: {},
  },
  {
    name: 'list-conditions',
    method: 'GET',
    path: '/api/v1/configurations/reference/conditions',
    auth: 'public',
    access: {},
  },
  {
    name: 'list-facility-types',
    method: 'GET',
    path: '/api/v1/configurations/reference/facility-types',
    auth: 'public',
    access: {},
  },
  {
    name: 'list-warfare-types',
    method: 'GET',
    path: '/api/v1/configurations/reference/warfare-types',
    auth: 'public',
    access: {},
  },
  {
    name: 'list-static-fronts',
    method: 'GET',
    path: '/api/v1/configurations/reference/static-fronts',
    auth: 'public',
    access: {},
  },
  { name: 'list-presets', method: 'GET', path: '/api/v1/presets', auth: 'generate', access: {} },
  {
    name: 'list-preset-categories',
    method: 'GET',
    path: '/api/v1/presets/categories/list',
    auth: 'generate',
    access: {},
  },
  { name: 'get-preset', method: 'GET', path: '/api/v1/presets/{preset_id}', auth: 'generate', access: {} },
  {
    name: 'create-api-key',
    method: 'POST',
    path: '/api/v1/admin/keys',
    auth: 'admin',
    access: { keys: 'read-write' },
  },
  {
    name: 'list-api-keys',
    method: 'GET',
    path: '/api/v1/admin/keys',
    auth: 'admin',
    access: { keys: 'read' },
  },
  {
    name: 'get-api-key',
    method: 'GET',
    path: '/api/v1/admin/keys/{key_id}',
    auth: 'admin',
    access: { keys: 'read' },
  },
  {
    name: 'rotate-api-key',
    method: 'POST',
    path: '/api/v1/admin/keys/{key_id}/rotate',
    auth: 'admin',
    access: { keys: 'read-write' },
  },
  {
    name: 'revoke-api-key',
    method: 'DELETE',
    path: '/api/v1/admin/keys/{key_id}',
    auth: 'admin',
    access: { keys: 'read-write' },
  },
  { name: 'health', method: 'GET', path: '/health', auth: 'public', access: {} },
  {
    name: 'api-health',
    method: 'GET',
    path: '/api/v1/health',
    auth: 'public',
    access: { jobs: 'read', configurations: 'read' },
  },
  { name: 'openapi', method: 'GET', path: '/openapi.json', auth: 'public', access: {} },
];

/**
 * The API Gateway REQUEST authorizer in front of every non-public route: identity source the X-API-Key
 * header; its context (strings only) is { owner, key_id, scopes (space-separated), limits (JSON) }.
 * It reads the keys table and needs API_KEYS_TABLE (and STAGE, the key prefix's stage).
 */
export const AUTHORIZER = {
  name: 'api-key-authorizer',
  module: 'functions/authorizer/api-key-authorizer.ts',
  identityHeader: 'X-API-Key',
  /** Result cache time in seconds (every deployed stage's): a revoked or expired key stops working within it. */
  cacheTtlSeconds: 60,
} as const;

/** Which queue feeds an SQS-triggered function: the generation queue or its dead-letter queue. */
export type QueueSource = 'generation' | 'generation-dlq';

/**
 * The SQS-triggered functions: the generator (first, on the generation queue) and the DLQ consumer,
 * which fails the job of every dead generation message (lib/domain/stuck-jobs.ts). CDK gives each an
 * event source on its queue; the local stack polls the same queues.
 */
export const QUEUE_HANDLERS = [
  { name: 'generate-patients', module: 'functions/queue/generate-patients.ts', source: 'generation' },
  { name: 'dead-letters', module: 'functions/queue/dead-letters.ts', source: 'generation-dlq' },
] as const satisfies readonly { name: string; module: string; source: QueueSource }[];

/**
 * Functions run on a schedule (CDK: an EventBridge rule; the local stack: a timer). The sweeper fails
 * jobs stuck past their bounds (memory/decisions/0903-no-stuck-jobs.md).
 */
export const SCHEDULED_HANDLERS = [
  { name: 'sweep-stale-jobs', module: 'functions/scheduled/sweep-stale-jobs.ts', everyMinutes: 5 },
] as const satisfies readonly { name: string; module: string; everyMinutes: number }[];

/** The SQS-triggered function of a queue. */
export function queueHandler(source: QueueSource): (typeof QUEUE_HANDLERS)[number] {
  const found = QUEUE_HANDLERS.find((handler) => handler.source === source);
  if (!found) throw new Error(`functions/routes.ts has no queue handler for ${source}`);
  return found;
}

export function handlerModule(route: RouteDefinition): string {
  return `functions/http/${route.name}.ts`;
}
