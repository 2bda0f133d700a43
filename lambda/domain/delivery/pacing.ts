/** Sends are paced at this share of the configured rate, so network jitter cannot push one over it. */
export const PACING_MARGIN = 0.95;

/** Time kept back from the Lambda's deadline, to answer before it is killed. */
export const SAFETY_MARGIN_MS = 3000;

/** Every invocation must be able to send at least this many messages, whatever its instance sent before. */
export const MIN_SENDS_PER_INVOCATION = 2;

/**
 * Messages a second one instance may send, so that `maxConcurrency` instances together stay near
 * Slack's limit for one webhook (about 1 a second). Rounded to thousandths, as the environment holds it.
 */
export function instanceRatePerSecond(maxConcurrency: number, webhookRatePerSecond = 1): number {
  return Math.round((1000 * webhookRatePerSecond) / maxConcurrency) / 1000;
}

/** Milliseconds between two sends of one instance pacing at `ratePerSecond`. */
export function sendIntervalMs(ratePerSecond: number): number {
  return 1000 / (ratePerSecond * PACING_MARGIN);
}

/**
 * True when an invocation of `timeoutMs` can always send {@link MIN_SENDS_PER_INVOCATION} messages at
 * `ratePerSecond`: else pacing alone could hold events past the deadline, receive after receive,
 * until they land in the dead-letter queue.
 */
export function paceFitsInvocation(ratePerSecond: number, timeoutMs: number): boolean {
  return sendIntervalMs(ratePerSecond) * MIN_SENDS_PER_INVOCATION <= timeoutMs - SAFETY_MARGIN_MS;
}
