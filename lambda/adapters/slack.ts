import { type FetchFunction, IncomingWebhook } from '@slack/webhook';
import { PACING_MARGIN } from '../domain/pacing.js';
import type { SlackMessage } from '../domain/slack-message.js';
import { createPacer, type Pacer } from './pacer.js';

/** Slack's answers that no retry can fix. */
const PERMANENT_STATUS = new Set([400, 403, 404, 410]);

/** A message Slack did not take. `permanent` ones go to the DLQ instead of being retried. */
export class SlackDeliveryError extends Error {
  constructor(
    message: string,
    /** Slack's error code (`invalid_payload`, `no_service`…), or ours (`timeout`, `network_error`). */
    readonly code: string,
    readonly permanent: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SlackDeliveryError';
  }
}

export interface SlackSender {
  /** Sends one message; resolves once Slack accepted it, throws a {@link SlackDeliveryError}. */
  send(message: SlackMessage, options?: { deadline?: number }): Promise<void>;
}

export interface SlackSenderOptions {
  fetch?: FetchFunction;
  /** Messages per second to pace sends at (Slack takes about 1 per second per webhook). */
  ratePerSecond?: number;
  /** Sends allowed at once before pacing starts. */
  burst?: number;
  /** Attempts per message for 429, 5xx and network errors. */
  maxAttempts?: number;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
  /** First backoff step after a 5xx or network error. */
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

/**
 * Posts through `@slack/webhook`'s `IncomingWebhook`, adding what it lacks: it honours 429
 * `Retry-After` (read through a fetch wrapper, since its errors carry no headers), paces sends,
 * backs off on 5xx and network errors, stops waiting at `deadline`, and never lets the webhook
 * URL into an error message.
 */
export function createSlackSender(url: string, options: SlackSenderOptions = {}): SlackSender {
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
    timeout: options.timeoutMs ?? 5000,
    fetch: async (input, init) => {
      lastResponse = undefined;
      // A request in flight is bounded by the deadline too, not only the waits between them.
      const left = currentDeadline - now();
      const signal =
        Number.isFinite(left) && init?.signal
          ? AbortSignal.any([init.signal, AbortSignal.timeout(Math.max(1, left))])
          : init?.signal;
      const response = await baseFetch(input, { ...init, ...(signal ? { signal } : {}) });
      lastResponse = response;
      return response;
    },
  });

  const redact = (text: string) => text.split(url).join('[webhook URL]');

  // Sends run one at a time: they share the webhook's pace, and the wrapper's last response.
  let tail: Promise<unknown> = Promise.resolve();
  const sendOne = async (message: SlackMessage, deadline: number): Promise<void> => {
    currentDeadline = deadline;
    for (let attempt = 1; ; attempt++) {
      const wait = pacer.reserve();
      if (now() + wait > deadline) throw timeUp('pacing');
      if (wait > 0) await sleep(wait);
      let failure: SlackDeliveryError;
      let retryAfterMs: number | undefined;
      try {
        await webhook.send(message);
        return;
      } catch (error) {
        failure = toDeliveryError(error, redact);
        retryAfterMs = failure.status === 429 ? retryAfter(lastResponse) : undefined;
      }
      if (failure.permanent || attempt >= maxAttempts) throw failure;
      const delay = retryAfterMs ?? backoffMs * 2 ** (attempt - 1);
      if (now() + delay > deadline) throw timeUp(failure.code);
      options.onRetry?.({ attempt: attempt + 1, maxAttempts, waitMs: delay, reason: failure.code });
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
  };
}

function timeUp(during: string): SlackDeliveryError {
  return new SlackDeliveryError(
    `out of time before Slack accepted the message (${during})`,
    'deadline',
    false,
  );
}

function retryAfter(response: FetchResponse | undefined): number {
  const header = response?.headers.get('retry-after');
  const seconds = header ? Number(header) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 900) * 1000 : 1000;
}

function toDeliveryError(thrown: unknown, redact: (s: string) => string): SlackDeliveryError {
  // p-retry wraps the 4xx errors it must not retry; unwrap them.
  const error = ((thrown as { originalError?: unknown }).originalError ?? thrown) as {
    statusCode?: number;
    body?: unknown;
    original?: Error;
    name?: string;
    message?: string;
  };
  const status = error.statusCode;
  if (typeof status === 'number' && status > 0) {
    const body = typeof error.body === 'string' ? error.body.trim().slice(0, 100) : '';
    const code = /^[a-z_]+$/.test(body) ? body : `http_${status}`;
    return new SlackDeliveryError(
      `Slack answered ${status} ${code}`,
      code,
      PERMANENT_STATUS.has(status),
      status,
    );
  }
  const cause = error.original ?? (error as Error);
  const timedOut =
    cause?.name === 'AbortError' ||
    cause?.name === 'TimeoutError' ||
    /timeout|aborted/i.test(String(cause?.message));
  const code = timedOut ? 'timeout' : 'network_error';
  const detail = redact(
    String((cause as { cause?: { code?: string } })?.cause?.code ?? cause?.name ?? 'error'),
  );
  return new SlackDeliveryError(`could not reach Slack: ${code} (${detail})`, code, false);
}
