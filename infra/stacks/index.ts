export { AccountStack } from './account-stack.js';
export {
  ApiStack,
  type ApiStackProps,
  AUTHORIZER_TIMEOUT,
  HTTP_MEMORY_MB,
  HTTP_TIMEOUT,
  JOB_CAP_ROUTES,
  JOB_CREATING_ROUTE,
  KEY_CREATING_ROUTE,
} from './api-stack.js';
export { StatefulStack, type StatefulStackProps } from './stateful-stack.js';
