/**
 * The README's "Scale and cost" table, written from the same table the method throttles come
 * from (lambdas/shared/settings.ts), so that the two cannot drift apart (a test compares them).
 */
import { routeList } from '../lambdas/routes';
import {
  COGNITO_QUOTA_CATEGORIES,
  OPERATION_CATEGORY,
  type Settings,
  quotaOf,
  requestOperations,
  routeThrottles,
} from '../lambdas/shared/settings';

/** One Markdown row per route: its Cognito calls, the categories they spend, its throttle. */
export function scaleRows(settings: Settings): string[] {
  const throttles = routeThrottles(settings, routeList);
  return routeList.map((route) => {
    const limit = throttles[route.name];
    const categories = (limit?.categories ?? []).map((category) => {
      const adjustable = COGNITO_QUOTA_CATEGORIES[category].adjustable ? 'adjustable' : 'fixed';
      return `${category} ${quotaOf(settings, category)} (${adjustable})`;
    });
    const calls = requestOperations(route).map((op) => `${op}${OPERATION_CATEGORY[op] ? '' : '?'}`);
    const why = limit?.limitedBy ? `share of ${limit.limitedBy}` : `${route.throttle} class`;
    return `| ${route.method} ${route.path} | ${calls.join(', ') || 'none'} | ${categories.join(', ') || '-'} | ${limit?.rateLimit} / ${limit?.burstLimit} (${why}) |`;
  });
}
