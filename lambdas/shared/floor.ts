/**
 * The response-time floor of the routes that name a user without credentials (route table `hidesUser`). In
 * AWS, Cognito runs the CustomMessage trigger only for real users, so a forgot or resend for a real user takes
 * longer than for an unknown one; answering no sooner than `bff:responseFloorMs` after the logic started
 * makes both take the floor, as long as the slower of them fits inside it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { logger } from './logger';

/** Waits until `floorMs` have passed since `started` (performance.now()); logs an answer that took longer. */
export async function holdFloor(started: number, floorMs: number, route: string): Promise<void> {
  if (floorMs <= 0) return;
  const elapsed = performance.now() - started;
  if (elapsed < floorMs) {
    await sleep(Math.ceil(floorMs - elapsed));
    return;
  }
  // The timing of this answer may differ between users: the floor is too low for this deployment.
  logger.warn('response floor exceeded', { route, ms: Math.round(elapsed), floorMs });
}
