export { AccountStack } from './account-stack.js';
export {
  ApiStack,
  type ApiStackProps,
  AUTHORIZER_TIMEOUT,
  HTTP_MEMORY_MB,
  HTTP_TIMEOUT,
  JOB_CAP_ROUTES,
  KEY_CREATING_ROUTE,
} from './api-stack.js';
export { StatefulStack, type StatefulStackProps } from './stateful-stack.js';
