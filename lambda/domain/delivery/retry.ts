/** The first wait before a failed record is received again. */
export const FIRST_RETRY_DELAY_S = 60;
/** The longest wait between two receives of a failed record. */
export const MAX_RETRY_DELAY_S = 2 * 3600;

/**
 * How long a record that could not be delivered waits before its next receive, by how many times
 * it has been received: 1 min, then doubling, at most 2 h. A failure no retry can fix (`permanent`:
 * a malformed event, a webhook that no longer exists) waits not at all, so it reaches the
 * dead-letter queue within minutes instead of holding on for a day.
 */
export function retryDelaySeconds(receiveCount: number, permanent = false): number {
  if (permanent) return 0;
  const n = Math.max(1, Math.floor(receiveCount));
  return Math.min(MAX_RETRY_DELAY_S, FIRST_RETRY_DELAY_S * 2 ** Math.min(n - 1, 30));
}

/**
 * How long a record that fails every time stays in the queue before it moves to the dead-letter
 * queue: the waits after each of its first `maxReceiveCount - 1` receives (the last failed receive
 * moves it). An outage shorter than this delivers late, not never.
 */
export function retryHorizonSeconds(maxReceiveCount: number): number {
  let total = 0;
  for (let n = 1; n < maxReceiveCount; n++) total += retryDelaySeconds(n);
  return total;
}
