import { type FetchFunction, IncomingWebhook } from '@slack/webhook';
import { PACING_MARGIN } from '../domain/delivery/pacing.js';
import type { SlackMessage } from '../domain/message/slack-message.js';
import { createPacer, type Pacer } from './pacer.js';
import { checkWebhookUrl, SlackDeliveryError, toDeliveryError } from './slack-errors.js';
import {
  attemptPaced,
  createQueue,
  deadlineFetch,
  REQUEST_TIMEOUT_MS,
  realSleep,
  retryAfterMs,
  type SlackRetry,
} from './slack-retry.js';

export { SlackDeliveryError } from './slack-errors.js';
export type { SlackRetry } from './slack-retry.js';

export interface SlackSender {
  /**
   * Sends one message; resolves once Slack accepted it, throws a {@link SlackDeliveryError}. A
   * failure after the request left (`ambiguous`) is never retried here: only the caller knows
   * whether this message may be sent a second time.
   */
  send(message: SlackMessage, options?: { deadline?: number }): Promise<void>;
  /** How many sends could start by `time` at this webhook's pace, from now. */
  capacityUntil(time: number): number;
  /** App mode only: messages that answer with their `ts`, to update and reply to. */
  messages?: ChannelMessages;
}

/** One channel's messages through the Web API: posted with their `ts`, updated, replied to. */
export interface ChannelMessages {
  channel: string;
  /** A top-level message, or a reply in `threadTs`'s thread. */
  post(
    message: SlackMessage,
    options?: { deadline?: number; threadTs?: string },
  ): Promise<{ channel: string; ts: string }>;
  update(ts: string, message: SlackMessage, options?: { deadline?: number }): Promise<unknown>;
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

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

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
  const baseFetch: FetchFunction = options.fetch ?? (globalThis.fetch as unknown as FetchFunction);
  let lastResponse: FetchResponse | undefined;
  let currentDeadline = Number.POSITIVE_INFINITY;
  const bounded = deadlineFetch(baseFetch, () => currentDeadline, now);
  const webhook = new IncomingWebhook(url, {
    timeout: options.timeoutMs ?? REQUEST_TIMEOUT_MS,
    fetch: async (input, init) => {
      lastResponse = undefined;
      const response = await bounded(input, init);
      lastResponse = response;
      return response;
    },
  });

  const policy = {
    maxAttempts: options.maxAttempts ?? 5,
    backoffMs: options.backoffMs ?? 500,
    now,
    sleep,
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  };
  const attempt = async (message: SlackMessage): Promise<void> => {
    try {
      await webhook.send(message);
    } catch (error) {
      const failure = toDeliveryError(error);
      if (failure.status !== 429) throw failure;
      // A 429 asks us to wait, not to give up: it spends no attempt, only time (up to the deadline).
      throw new SlackDeliveryError(failure.message, {
        code: failure.code,
        permanent: false,
        status: 429,
        retryAfterMs: retryAfterMs(lastResponse?.headers.get('retry-after')),
      });
    }
  };
  // Sends run one at a time: they share the webhook's pace, and the wrapper's last response.
  const queue = createQueue();
  return {
    send(message, { deadline = Number.POSITIVE_INFINITY } = {}) {
      return queue(() => {
        currentDeadline = deadline;
        return attemptPaced(() => attempt(message), pacer, deadline, policy);
      });
    },
    capacityUntil: (time) => pacer.available(time),
  };
}
