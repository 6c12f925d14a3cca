export {
  AppFunction,
  type AppFunctionProps,
  FUNCTION_ARCHITECTURE,
  FUNCTION_RUNTIME,
  PROJECT_ROOT,
} from './app-function.js';
export { DataStoreGrants, type JobSecretsUse, type ResultsAccess, type TableAccess } from './data-access.js';
export { GenerationQueue, type GenerationQueueProps } from './generation-queue.js';
export {
  RESULTS_CORS_EXPOSED_HEADERS,
  ResultsBucketCors,
  type ResultsBucketCorsProps,
} from './results-bucket-cors.js';
export { RouteTableApi, type RouteTableApiProps, resourcePathOf } from './route-table-api.js';
export { StageMonitoring, type StageMonitoringProps } from './stage-monitoring.js';
export { ensureWebDist, WebConsole, type WebConsoleProps } from './web-console.js';
