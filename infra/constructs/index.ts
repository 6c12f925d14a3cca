export {
  AppFunction,
  type AppFunctionProps,
  FUNCTION_ARCHITECTURE,
  FUNCTION_RUNTIME,
  PROJECT_ROOT,
} from './app-function.js';
export { DataStoreGrants, type JobSecretsUse, type ResultsAccess } from './data-access.js';
export { GenerationQueue, type GenerationQueueProps } from './generation-queue.js';
export { RouteTableApi, type RouteTableApiProps, resourcePathOf } from './route-table-api.js';
