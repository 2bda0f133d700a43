/** Spaces sends to a rate, allowing a small burst (a token bucket). */
export interface Pacer {
  /** Takes a slot and returns how many milliseconds to wait before using it. */
  reserve(): number;
  /** Holds every later slot back by `ms` (Slack said 429: Retry-After). */
  pause(ms: number): void;
}

export function createPacer(ratePerSecond: number, burst: number, now: () => number = Date.now): Pacer {
  const interval = 1000 / ratePerSecond;
  let next = Number.NEGATIVE_INFINITY;
  return {
    reserve() {
      const t = now();
      const earliest = Math.max(next, t - (burst - 1) * interval);
      next = earliest + interval;
      return Math.max(0, earliest - t);
    },
    pause(ms) {
      next = Math.max(next, now() + ms);
    },
  };
}
