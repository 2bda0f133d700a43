import type { WebClient } from '@slack/web-api';
import { PACING_MARGIN } from '../domain/delivery/pacing.js';
import type { SlackMessage } from '../domain/message/slack-message.js';
import { createPacer, type Pacer } from './pacer.js';
import type { SlackSender } from './slack.js';
import { type ApiCall, toApiDeliveryError } from './slack-api-errors.js';
import { botTokenProblem, SlackDeliveryError, webhookUrlProblem } from './slack-errors.js';
import {
  attemptPaced,
  createQueue,
  deadlineFetch,
  REQUEST_TIMEOUT_MS,
  realSleep,
  type SlackRetry,
  type SlackRetryPolicy,
} from './slack-retry.js';
import { createWebClient, type Fetch } from './slack-web-client.js';

/** Slack's Web API, where `chat.postMessage` and the other methods live. */
export const SLACK_API_URL = 'https://slack.com/api/';

/** `chat.update` and `conversations.replies` are Tier 3: 50 calls a minute per workspace. */
export const TIER_3_PER_SECOND = 50 / 60;

export type { Fetch } from './slack-web-client.js';

/** Where a message landed: its channel and its `ts`, the ID `chat.update` and thread replies need. */
export interface SlackPosted {
  channel: string;
  ts: string;
}

/** One message of a thread, as `conversations.replies` gives it (the parent first). */
export interface SlackThreadMessage {
  ts: string;
  text: string;
  threadTs?: string;
  /** The parent's count of replies. */
  replyCount?: number;
}

export interface SlackApiCallOptions {
  /** Epoch milliseconds after which no call starts or waits. @default none */
  deadline?: number;
}

/**
 * Slack's Web API with a bot token: posts, updates and thread replies to channels by ID. Calls to
 * one channel run one at a time in call order, at the channel's pace; each throws a
 * {@link SlackDeliveryError} that never holds the token.
 */
export interface SlackApiClient {
  /** `chat.postMessage`: a top-level message, or a reply in `threadTs`'s thread. */
  postMessage(
    channel: string,
    message: SlackMessage,
    options?: SlackApiCallOptions & { threadTs?: string },
  ): Promise<SlackPosted>;
  /** `chat.update`: the message at `ts` becomes `message`. Retried after a timeout: it is idempotent. */
  update(
    channel: string,
    ts: string,
    message: SlackMessage,
    options?: SlackApiCallOptions,
  ): Promise<SlackPosted>;
  /** `conversations.replies`: the thread of `ts`, its first 200 messages (needs a `*:history` scope). */
  replies(channel: string, ts: string, options?: SlackApiCallOptions): Promise<SlackThreadMessage[]>;
  /** How many posts to `channel` could start by `time` at its pace, from now. */
  capacityUntil(channel: string, time: number): number;
  /** A {@link SlackSender} of top-level messages to `channel`, for the webhook senders' callers. */
  sender(channel: string): SlackSender;
}

export interface SlackApiOptions {
  /** @default {@link SLACK_API_URL} */
  apiUrl?: string;
  fetch?: Fetch;
  /** Posts per second to one channel (Slack takes about 1). */
  ratePerSecond?: number;
  /** Posts allowed at once to one channel before pacing starts. */
  burst?: number;
  /** `chat.update` and `conversations.replies` calls per second, all channels together. */
  methodRatePerSecond?: number;
  /** Attempts per call for 5xx, retryable codes and failures to connect (a rate limit only waits). */
  maxAttempts?: number;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
  /** First backoff step after a 5xx or a failure to connect. */
  backoffMs?: number;
  onRetry?: (retry: SlackRetry) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Lane {
  client: WebClient;
  pacer: Pacer;
  queue: ReturnType<typeof createQueue>;
  deadline: number;
  sender?: SlackSender;
}

/**
 * A {@link SlackApiClient} on `@slack/web-api`'s `WebClient`, adding what it lacks for us: pacing
 * per channel, `Retry-After` waits bounded by a deadline, no blind resend of a post that may have
 * landed, and errors that never hold the token. A malformed token or API URL throws at once.
 */
export function createSlackApiClient(token: string, options: SlackApiOptions = {}): SlackApiClient {
  const tokenProblem = botTokenProblem(token);
  if (tokenProblem)
    throw new SlackDeliveryError(`the Slack bot token is malformed: ${tokenProblem}`, {
      code: 'invalid_token',
      permanent: true,
    });
  const apiUrl = options.apiUrl ?? SLACK_API_URL;
  const urlProblem = webhookUrlProblem(apiUrl);
  if (urlProblem)
    throw new SlackDeliveryError(`the Slack API URL is malformed: ${urlProblem}`, {
      code: 'invalid_url',
      permanent: true,
    });
  const now = options.now ?? Date.now;
  const policy: SlackRetryPolicy = {
    maxAttempts: options.maxAttempts ?? 5,
    backoffMs: options.backoffMs ?? 500,
    now,
    sleep: options.sleep ?? realSleep,
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  };
  // Pace a little under the limits, so network jitter cannot push a call over them.
  const methodPacer = createPacer((options.methodRatePerSecond ?? TIER_3_PER_SECOND) * PACING_MARGIN, 1, now);
  const baseFetch: Fetch = options.fetch ?? globalThis.fetch;
  const lanes = new Map<string, Lane>();

  /** Each channel has its own client, so a call in flight is bounded by its own deadline. */
  const laneOf = (channel: string): Lane => {
    let lane = lanes.get(channel);
    if (lane) return lane;
    const pacer = createPacer((options.ratePerSecond ?? 1) * PACING_MARGIN, options.burst ?? 1, now);
    const created: Lane = {
      pacer,
      queue: createQueue(),
      deadline: Number.POSITIVE_INFINITY,
      client: createWebClient(token, {
        apiUrl,
        timeoutMs: options.timeoutMs ?? REQUEST_TIMEOUT_MS,
        fetch: deadlineFetch(baseFetch, () => created.deadline, now),
      }),
    };
    lanes.set(channel, created);
    lane = created;
    return lane;
  };

  const call = <T>(
    lane: Lane,
    pacer: Pacer,
    what: ApiCall,
    args: Record<string, unknown>,
    deadline = Number.POSITIVE_INFINITY,
  ): Promise<T> =>
    lane.queue(() => {
      lane.deadline = deadline;
      return attemptPaced(
        async () => {
          try {
            return (await lane.client.apiCall(what.method, args)) as T;
          } catch (error) {
            throw toApiDeliveryError(error, what);
          }
        },
        pacer,
        deadline,
        policy,
      );
    });

  const postMessage: SlackApiClient['postMessage'] = async (channel, message, opts = {}) => {
    const lane = laneOf(channel);
    const { channel: _webhookChannel, ...content } = message;
    const answer = await call<{ channel?: string; ts?: string }>(
      lane,
      lane.pacer,
      { method: 'chat.postMessage', channel, idempotent: false },
      { ...content, channel, ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}) },
      opts.deadline,
    );
    return posted(answer, channel, 'chat.postMessage');
  };

  const update: SlackApiClient['update'] = async (channel, ts, message, opts = {}) => {
    const { channel: _webhookChannel, ...content } = message;
    const answer = await call<{ channel?: string; ts?: string }>(
      laneOf(channel),
      methodPacer,
      { method: 'chat.update', channel, ts, idempotent: true },
      { ...content, channel, ts },
      opts.deadline,
    );
    return posted(answer, channel, 'chat.update');
  };

  return {
    postMessage,
    update,
    async replies(channel, ts, opts = {}) {
      const answer = await call<{ messages?: Record<string, unknown>[] }>(
        laneOf(channel),
        methodPacer,
        { method: 'conversations.replies', channel, ts, idempotent: true },
        { channel, ts, limit: 200 },
        opts.deadline,
      );
      return (answer.messages ?? []).map(threadMessage);
    },
    capacityUntil: (channel, time) => laneOf(channel).pacer.available(time),
    sender(channel) {
      const lane = laneOf(channel);
      lane.sender ??= {
        send: async (message, opts = {}) => {
          await postMessage(channel, message, opts);
        },
        capacityUntil: (time) => lane.pacer.available(time),
        messages: {
          channel,
          post: (message, opts) => postMessage(channel, message, opts),
          update: (ts, message, opts) => update(channel, ts, message, opts),
        },
      };
      return lane.sender;
    },
  };
}

function posted(answer: { channel?: string; ts?: string }, channel: string, method: string): SlackPosted {
  if (typeof answer.ts !== 'string')
    throw new SlackDeliveryError(`Slack's answer to ${method} to ${channel} held no ts`, {
      code: 'invalid_response',
      permanent: false,
      ambiguous: method === 'chat.postMessage',
    });
  return { channel: typeof answer.channel === 'string' ? answer.channel : channel, ts: answer.ts };
}

function threadMessage(m: Record<string, unknown>): SlackThreadMessage {
  return {
    ts: String(m.ts ?? ''),
    text: typeof m.text === 'string' ? m.text : '',
    ...(typeof m.thread_ts === 'string' ? { threadTs: m.thread_ts } : {}),
    ...(typeof m.reply_count === 'number' ? { replyCount: m.reply_count } : {}),
  };
}
