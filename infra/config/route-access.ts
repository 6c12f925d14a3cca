/**
 * Least privilege per HTTP function: what each route of functions/routes.ts may touch. The route table
 * stays the only source of API methods; this table only narrows IAM grants and environment variables.
 * A route missing here stops the synth, so a new route cannot ship with a guessed policy.
 */
import type { RouteDefinition } from '../../functions/routes.js';

export type DataAccess = 'read' | 'read-write';

export interface RouteAccess {
  readonly jobs?: DataAccess;
  readonly configurations?: DataAccess;
  /** `read` = GetObject/List (results, presigned downloads); `read-delete` adds DeleteObject. Scoped to `jobs/*`. */
  readonly results?: 'read' | 'read-delete';
  /** SendMessage on the generation queue. */
  readonly enqueue?: boolean;
  /** kms:Encrypt on the job secrets key and SEALING_KEY_ID: seals job encryption passwords. */
  readonly seal?: boolean;
}

/**
 * Keyed by route name. Routes that touch nothing (reference data, presets, liveness, validation) map to
 * `{}`. A public route gets the env var of each store it declares here (api-health probes both tables).
 */
export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'create-generation-job': { jobs: 'read-write', configurations: 'read', enqueue: true, seal: true },
  'list-jobs': { jobs: 'read' },
  'get-job': { jobs: 'read' },
  'get-job-results': { jobs: 'read', results: 'read' },
  'cancel-job': { jobs: 'read-write' },
  'delete-job': { jobs: 'read-write', results: 'read-delete' },
  'download-job': { jobs: 'read', results: 'read' },
  'create-configuration': { configurations: 'read-write' },
  'list-configurations': { configurations: 'read' },
  'get-configuration': { configurations: 'read' },
  'update-configuration': { configurations: 'read-write' },
  'delete-configuration': { configurations: 'read-write' },
  'list-configuration-versions': { configurations: 'read' },
  'get-configuration-version': { configurations: 'read' },
  'validate-configuration': {},
  'list-nationalities': {},
  'list-condition-types': {},
  'list-conditions': {},
  'list-facility-types': {},
  'list-warfare-types': {},
  'list-static-fronts': {},
  'list-presets': {},
  'list-preset-categories': {},
  'get-preset': {},
  health: {},
  'api-health': { jobs: 'read', configurations: 'read' },
  openapi: {},
};

export function routeAccess(route: RouteDefinition): RouteAccess {
  const access = ROUTE_ACCESS[route.name];
  if (!access) {
    throw new Error(
      `route ${route.name} (${route.method} ${route.path}) has no entry in infra/config/route-access.ts; ` +
        'declare what it may touch ({} for nothing)',
    );
  }
  return access;
}
