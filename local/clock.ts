/**
 * The local stack's one source of time. Codes, lockouts, limits, sessions and tokens all read
 * it, so a test moves time forward instead of sleeping through an expiry.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that starts at the real time and moves only when told to. */
export class ManualClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves time forward; it never goes back, so nothing already expired comes alive again. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance takes a non-negative number of ms, got ${ms}`);
    this.offsetMs += ms;
    return this.now();
  }
}
