import { type FetchFunction, IncomingWebhook } from '@slack/webhook';
import { PACING_MARGIN } from '../domain/delivery/pacing.js';
import type { SlackMessage } from '../domain/message/slack-message.js';
import { createPacer, type Pacer } from './pacer.js';
import { checkWebhookUrl, SlackDeliveryError, toDeliveryError } from './slack-errors.js';

export { SlackDeliveryError } from './slack-errors.js';

export interface SlackSender {
  /**
   * Sends one message; resolves once Slack accepted it, throws a {@link SlackDeliveryError}. A
   * failure after the request left (`ambiguous`) is never retried here: only the caller knows
   * whether this message may be sent a second time.
   */
  send(message: SlackMessage, options?: { deadline?: number }): Promise<void>;
  /** How many sends could start by `time` at this webhook's pace, from now. */
  capacityUntil(time: number): number;
}

export interface SlackSenderOptions {
  fetch?: FetchFunction;
  /** Messages per second to pace sends at (Slack takes about 1 per second per webhook). */
  ratePerSecond?: number;
  /** Sends allowed at once before pacing starts. */
  burst?: number;
  /** Attempts per message for 5xx and failures to connect (a 429 only makes it wait). */
  maxAttempts?: number;
  /** Per-request timeout in milliseconds; Slack can take seconds to answer. */
  timeoutMs?: number;
  /** First backoff step after a 5xx or a failure to connect. */
  backoffMs?: number;
  /** Shared pacer, so every sender of one webhook URL waits in one line. */
  pacer?: Pacer;
  /** Told before each wait for a retry, so a command can show progress. */
  onRetry?: (retry: SlackRetry) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A retry about to happen: which attempt comes next, after how long, and why. */
export interface SlackRetry {
  /** The attempt about to be made (2 for the first retry). */
  attempt: number;
  maxAttempts: number;
  waitMs: number;
  /** Slack's error code or ours (`rate_limited`, `timeout`, `network_error`…). */
  reason: string;
}

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** 429s one message may wait out; more means something else is posting to the webhook too. */
const MAX_RATE_LIMITED = 30;

/** Slack usually answers within a second, sometimes after several. */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Posts through `@slack/webhook`'s `IncomingWebhook`, adding what it lacks: it honours 429
 * `Retry-After` (read through a fetch wrapper, since its errors carry no headers), paces sends,
 * backs off on 5xx and failures to connect, stops waiting at `deadline`, and never lets the
 * webhook URL into an error message. A malformed URL throws at once (`invalid_url`).
 */
export function createSlackSender(url: string, options: SlackSenderOptions = {}): SlackSender {
  checkWebhookUrl(url);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  // Pace a little under the limit, so network jitter cannot push a send over it.
  const pacer =
    options.pacer ?? createPacer((options.ratePerSecond ?? 1) * PACING_MARGIN, options.burst ?? 1, now);
  const maxAttempts = options.maxAttempts ?? 5;
  const backoffMs = options.backoffMs ?? 500;
  const baseFetch: FetchFunction = options.fetch ?? (globalThis.fetch as unknown as FetchFunction);
  let lastResponse: FetchResponse | undefined;
  let currentDeadline = Number.POSITIVE_INFINITY;
  const webhook = new IncomingWebhook(url, {
    timeout: options.timeoutMs ?? REQUEST_TIMEOUT_MS,
    fetch: async (input, init) => {
      lastResponse = undefined;
      // A request in flight is bounded by the deadline too, not only the waits between them.
      const left = currentDeadline - now();
      const signal =
        Number.isFinite(left) && init?.signal
          ? AbortSignal.any([init.signal, AbortSignal.timeout(Math.max(1, Math.ceil(left)))])
          : init?.signal;
      // A redirect comes back as the answer it is (a failure, nothing posted), not as a network error.
      const response = await baseFetch(input, { ...init, redirect: 'manual', ...(signal ? { signal } : {}) });
      lastResponse = response;
      return response;
    },
  });

  // Sends run one at a time: they share the webhook's pace, and the wrapper's last response.
  let tail: Promise<unknown> = Promise.resolve();
  const sendOne = async (message: SlackMessage, deadline: number): Promise<void> => {
    currentDeadline = deadline;
    // A 429 asks us to wait, not to give up: it spends no attempt, only time (up to the deadline).
    let failedAttempts = 0;
    let rateLimited = 0;
    for (;;) {
      if (pacer.available(deadline) === 0) throw timeUp('pacing');
      const wait = pacer.reserve();
      if (wait > 0) await sleep(wait);
      let failure: SlackDeliveryError;
      let retryAfterMs: number | undefined;
      try {
        await webhook.send(message);
        return;
      } catch (error) {
        failure = toDeliveryError(error);
        retryAfterMs = failure.status === 429 ? retryAfter(lastResponse) : undefined;
      }
      if (failure.status === 429) rateLimited++;
      else failedAttempts++;
      if (failure.permanent || failure.ambiguous || failedAttempts >= maxAttempts) throw failure;
      if (rateLimited > MAX_RATE_LIMITED) throw failure;
      // The backoff grows with failed attempts only: 429s waited out before do not lengthen it.
      const delay = retryAfterMs ?? backoffMs * 2 ** (failedAttempts - 1);
      if (now() + delay > deadline) throw timeUp(failure.code);
      // After a 429 the same attempt is made again, as it spent none.
      options.onRetry?.({ attempt: failedAttempts + 1, maxAttempts, waitMs: delay, reason: failure.code });
      // A 429 holds back every send to this webhook; other failures back off this message only.
      if (failure.status === 429) pacer.pause(delay);
      else await sleep(delay);
    }
  };
  return {
    send(message, { deadline = Number.POSITIVE_INFINITY } = {}) {
      const run = tail.then(() => sendOne(message, deadline));
      tail = run.catch(() => undefined);
      return run;
    },
    capacityUntil: (time) => pacer.available(time),
  };
}

function timeUp(during: string): SlackDeliveryError {
  return new SlackDeliveryError(`out of time before the message could be sent (${during})`, {
    code: 'deadline',
    permanent: false,
  });
}

function retryAfter(response: FetchResponse | undefined): number {
  const header = response?.headers.get('retry-after');
  const seconds = header ? Number(header) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 900) * 1000 : 1000;
}
