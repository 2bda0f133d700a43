/**
 * A clock that stands still, and a `sleep` that records each wait and moves the clock on instead
 * of sleeping: a sender's pacing and backoff, checked without depending on the machine's speed.
 */
export function recordedClock() {
  const waits: number[] = [];
  let clock = 0;
  return {
    waits,
    now: () => clock,
    sleep: async (ms: number) => {
      waits.push(ms);
      clock += ms;
    },
  };
}
