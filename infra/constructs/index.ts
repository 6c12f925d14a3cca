export {
  AppFunction,
  type AppFunctionProps,
  FUNCTION_ARCHITECTURE,
  FUNCTION_RUNTIME,
  PROJECT_ROOT,
} from './app-function.js';
export {
  type AutoDeleteObjectsLogsProps,
  giveAutoDeleteObjectsALogGroup,
} from './auto-delete-objects-logs.js';
export {
  DataStoreGrants,
  type JobSecretsUse,
  type KeysAccess,
  type ResultsAccess,
  type TableAccess,
  type UsageAccess,
} from './data-access.js';
export { GenerationQueue, type GenerationQueueProps } from './generation-queue.js';
export {
  RESULTS_CORS_EXPOSED_HEADERS,
  ResultsBucketCors,
  type ResultsBucketCorsProps,
} from './results-bucket-cors.js';
export {
  ACCESS_DENIED_MESSAGE,
  RouteTableApi,
  type RouteTableApiProps,
  type RouteTableAuthorizerProps,
  resourcePathOf,
  UNAUTHORIZED_MESSAGE,
} from './route-table-api.js';
export { StageMonitoring, type StageMonitoringProps } from './stage-monitoring.js';
export {
  DEAD_LETTER_BATCH_SIZE,
  DEAD_LETTER_TIMEOUT,
  GUARD_MEMORY_MB,
  StuckJobGuards,
  type StuckJobGuardsProps,
  SWEEPER_TIMEOUT,
} from './stuck-job-guards.js';
export { ensureWebDist, WebConsole, type WebConsoleProps } from './web-console.js';
