/** Spaces sends to a rate, allowing a small burst (a token bucket). */
export interface Pacer {
  /** Takes a slot and returns how many milliseconds to wait before using it. */
  reserve(): number;
  /** Holds every later slot back by `ms` (Slack said 429: Retry-After). */
  pause(ms: number): void;
  /** How many slots start by `time`, without taking any. */
  available(time: number): number;
}

export function createPacer(ratePerSecond: number, burst: number, now: () => number = Date.now): Pacer {
  const interval = 1000 / ratePerSecond;
  let next = Number.NEGATIVE_INFINITY;
  const earliestFrom = (t: number) => Math.max(next, t - (burst - 1) * interval);
  return {
    reserve() {
      const t = now();
      const earliest = earliestFrom(t);
      next = earliest + interval;
      return Math.max(0, earliest - t);
    },
    available(time) {
      const earliest = earliestFrom(now());
      return time < earliest ? 0 : Math.floor((time - earliest) / interval) + 1;
    },
    pause(ms) {
      next = Math.max(next, now() + ms);
    },
  };
}
