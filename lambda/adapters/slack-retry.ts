import type { Pacer } from './pacer.js';
import { SlackDeliveryError } from './slack-errors.js';

/** A retry about to happen: which attempt comes next, after how long, and why. */
export interface SlackRetry {
  /** The attempt about to be made (2 for the first retry). */
  attempt: number;
  maxAttempts: number;
  waitMs: number;
  /** Slack's error code or ours (`rate_limited`, `timeout`, `network_error`…). */
  reason: string;
}

/** How a Slack call is tried again, the same for the webhook and the Web API. */
export interface SlackRetryPolicy {
  /** Attempts per call for 5xx and failures to connect (a rate limit only makes it wait). */
  maxAttempts: number;
  /** First backoff step after a 5xx or a failure to connect. */
  backoffMs: number;
  /** Told before each wait for a retry, so a command can show progress. */
  onRetry?: (retry: SlackRetry) => void;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Slack usually answers within a second, sometimes after several. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Rate limits one call may wait out; more means something else is posting at the same pace too. */
const MAX_RATE_LIMITED = 30;

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` at `pacer`'s pace until it succeeds, or throws the {@link SlackDeliveryError} it
 * threw when no retry can help: a permanent or ambiguous failure, the attempts spent, or no time
 * left before `deadline` (`deadline`). A rate limit (`retryAfterMs`) spends no attempt, only time,
 * and holds back every call of the pacer; other failures back off this call alone, doubling.
 */
export async function attemptPaced<T>(
  attempt: () => Promise<T>,
  pacer: Pacer,
  deadline: number,
  policy: SlackRetryPolicy,
): Promise<T> {
  const { maxAttempts, backoffMs, now, sleep } = policy;
  let failedAttempts = 0;
  let rateLimited = 0;
  for (;;) {
    if (pacer.available(deadline) === 0) throw timeUp('pacing');
    const wait = pacer.reserve();
    if (wait > 0) await sleep(wait);
    let failure: SlackDeliveryError;
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof SlackDeliveryError)) throw error;
      failure = error;
    }
    const limited = failure.retryAfterMs !== undefined;
    if (limited) rateLimited++;
    else failedAttempts++;
    if (failure.permanent || failure.ambiguous || failedAttempts >= maxAttempts) throw failure;
    if (rateLimited > MAX_RATE_LIMITED) throw failure;
    // The backoff grows with failed attempts only: rate limits waited out before do not lengthen it.
    const delay = failure.retryAfterMs ?? backoffMs * 2 ** (failedAttempts - 1);
    if (now() + delay > deadline) throw timeUp(failure.code);
    // After a rate limit the same attempt is made again, as it spent none.
    policy.onRetry?.({ attempt: failedAttempts + 1, maxAttempts, waitMs: delay, reason: failure.code });
    if (limited) pacer.pause(delay);
    else await sleep(delay);
  }
}

function timeUp(during: string): SlackDeliveryError {
  return new SlackDeliveryError(`out of time before the message could be sent (${during})`, {
    code: 'deadline',
    permanent: false,
  });
}

/** `Retry-After` in milliseconds (a second when absent or unreadable, at most 15 minutes). */
export function retryAfterMs(header: string | null | undefined): number {
  const seconds = header ? Number(header) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 900) * 1000 : 1000;
}

/**
 * Runs calls one after another, in the order they were made, whatever each one ends in: so
 * messages to one place arrive in order, and each waits its turn at the shared pace.
 */
export function createQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** What a Slack client passes `fetch`: the options this wrapper sets, among others. */
interface FetchInit {
  signal?: AbortSignal | null;
  redirect?: 'error' | 'follow' | 'manual';
}

/**
 * `base` bounded by `deadline()` (a request in flight is cut off then, not only the waits between
 * requests) and never following a redirect: a redirect comes back as the answer it is (a
 * failure, nothing posted), not as a network error.
 */
export function deadlineFetch<I extends FetchInit, R>(
  base: (input: string | URL, init?: I) => Promise<R>,
  deadline: () => number,
  now: () => number,
): (input: string | URL, init?: I) => Promise<R> {
  return (input, init) => {
    const left = deadline() - now();
    const bound = Number.isFinite(left) ? AbortSignal.timeout(Math.max(1, Math.ceil(left))) : undefined;
    const signal = bound && init?.signal ? AbortSignal.any([init.signal, bound]) : (bound ?? init?.signal);
    return base(input, { ...init, redirect: 'manual', ...(signal ? { signal } : {}) } as I);
  };
}
