export { AccountStack } from './account-stack.js';
export {
  ApiStack,
  type ApiStackProps,
  AUTHORIZER_TIMEOUT,
  GENERATOR_MEMORY_MB,
  GENERATOR_TIMEOUT,
  HTTP_MEMORY_MB,
  HTTP_TIMEOUT,
  KEY_CREATING_ROUTE,
} from './api-stack.js';
export { StatefulStack, type StatefulStackProps } from './stateful-stack.js';
