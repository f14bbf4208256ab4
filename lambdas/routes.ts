/**
 * THE route table: the single source of truth for the HTTP contract. The CDK API (lib/), the
 * local server (local/) and the OpenAPI document (lambdas/openapi.ts) are generated from it.
 * Rows live with their area (`lambdas/<area>/routes.ts`) so that a handler bundle carries only
 * its own area's schemas; this module puts them together.
 */
import { adminRoutes } from './admin/routes';
import { authRoutes } from './auth/routes';
import { meRoutes } from './me/routes';
import { passwordRoutes } from './password/routes';
import type { RouteDefinition } from './shared/route';

export type { HttpMethod, RouteDefinition } from './shared/route';

export const routes = { ...authRoutes, ...passwordRoutes, ...adminRoutes, ...meRoutes } as const satisfies Record<
  string,
  RouteDefinition
>;

export type RouteName = keyof typeof routes;

export const routeList: readonly RouteDefinition[] = Object.values(routes);
