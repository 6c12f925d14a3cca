/** Binds a handler to its entry in the route table, so a handler's auth can never drift from the table. */
import type { RouteAuth } from '../../lib/core/index.js';
import { ROUTES, type RouteDefinition } from '../routes.js';

export function routeNamed(name: string, auth?: RouteAuth): RouteDefinition {
  const route = ROUTES.find((r) => r.name === name);
  if (!route) throw new Error(`route ${name} is not in functions/routes.ts`);
  if (auth !== undefined && route.auth !== auth) {
    throw new Error(`route ${name} is '${route.auth}' in functions/routes.ts, not '${auth}'`);
  }
  return route;
}
