import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ListenOptions, listen, type RunningServer, readBody, sendJson, sendText } from './http.js';
import { createApiHandler } from './slack-api-sink.js';
import { type ReceivedMessage, renderMessagesHtml } from './slack-html.js';

/** What Slack answers with each status (its body is the error code). */
export const SLACK_ERRORS: Record<number, string> = {
  400: 'invalid_payload',
  403: 'invalid_token',
  404: 'no_service',
  410: 'channel_is_archived',
  429: 'rate_limited',
  500: 'internal_error',
  503: 'service_unavailable',
};

/**
 * A failure to answer the next `times` posts with (`POST /_mode`), webhook or Web API: an HTTP
 * status, or a Slack error code (`channel_not_found`), which the Web API answers with HTTP 200 and
 * a webhook with 400.
 */
export interface FailureMode {
  /** @default 200 with `error`, else required */
  status?: number;
  error?: string;
  /** Seconds, sent as `Retry-After` (429 only). @default 1 */
  retryAfter?: number;
  /** @default 1 */
  times?: number;
}

export interface SlackSinkOptions extends ListenOptions {
  /**
   * Posts accepted per second, by the webhooks together and per Web API channel; more in any one-second window
   * get 429 (`rate_limited`, `ratelimited`).
   */
  ratePerSecond?: number;
  /** The bot tokens the Web API accepts (others: `invalid_auth`); any `xoxb-` token when omitted. */
  tokens?: readonly string[];
  /** The channels the Web API knows (others: `channel_not_found`); any channel ID when omitted. */
  channels?: readonly string[];
}

export interface SlackSink extends RunningServer {
  /** Where to post: `${url}/hook`. */
  hookUrl: string;
  /** Where the Web API is: `${url}/api/` (`chat.postMessage`, `chat.update`, `conversations.replies`). */
  apiUrl: string;
  messages(): ReceivedMessage[];
  setFailure(mode: FailureMode | null): void;
}

/**
 * A Slack stand-in: incoming webhooks (posts to `/hook` or `/services/…` answer `ok`) and the Web
 * API (`POST /api/chat.postMessage`, `chat.update`, `conversations.replies`, with a bot token), or
 * a failure set by `POST /_mode {"status":429,"retryAfter":2,"times":3}` (or `{"error":
 * "channel_not_found"}`) or `?status=410` on a webhook post; `GET /messages` lists what it took,
 * `GET /` shows it like Slack (`?channel=` one channel), `GET /_stats` counts answers, top-level
 * posts, thread replies and updates.
 */
export async function startSlackSink(options: SlackSinkOptions = {}): Promise<SlackSink> {
  const messages: ReceivedMessage[] = [];
  const answered: Record<string, number> = {};
  const accepted = new Map<string, number[]>();
  let failure: (Required<Omit<FailureMode, 'error'>> & Pick<FailureMode, 'error'>) | null = null;
  const setFailure = (mode: FailureMode | null) => {
    const status = mode?.status ?? 200;
    failure = mode && (status !== 200 || mode.error) ? { retryAfter: 1, times: 1, ...mode, status } : null;
  };
  const takeFailure = () => {
    if (!failure) return null;
    const taken = failure;
    failure = --failure.times > 0 ? failure : null;
    return taken;
  };
  /** Seconds until `key` may post again when it is over the rate; else counts this post. */
  const overRate = (key: string): number | undefined => {
    const now = Date.now();
    const times = accepted.get(key) ?? [];
    accepted.set(key, times);
    while (times.length && (times[0] ?? 0) <= now - 1000) times.shift();
    if (options.ratePerSecond && times.length >= options.ratePerSecond)
      return Math.max(1, Math.ceil(((times[0] ?? now) + 1000 - now) / 1000));
    times.push(now);
    return undefined;
  };
  const onApi = createApiHandler({
    messages,
    count: (status) => {
      answered[status] = (answered[status] ?? 0) + 1;
    },
    takeFailure,
    overRate,
    ...(options.tokens ? { tokens: new Set(options.tokens) } : {}),
    ...(options.channels ? { channels: new Set(options.channels) } : {}),
    now: Date.now,
  });

  const answer = (res: ServerResponse, status: number, retryAfter?: number, error?: string) => {
    answered[status] = (answered[status] ?? 0) + 1;
    if (status === 429) res.setHeader('retry-after', String(retryAfter ?? 1));
    const body = status === 200 ? 'ok' : (error ?? SLACK_ERRORS[status] ?? `http_${status}`);
    sendText(res, status, body, 'text/html');
  };

  const onHook = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const body = await readBody(req);
    const forced = Number(url.searchParams.get('status') ?? '');
    if (forced >= 400) return answer(res, forced, Number(url.searchParams.get('retryAfter') ?? '1'));
    const failed = takeFailure();
    // A webhook answers a Slack error code with 400 and the code.
    if (failed)
      return answer(res, failed.status === 200 ? 400 : failed.status, failed.retryAfter, failed.error);
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return answer(res, 400);
    }
    if (
      payload === null ||
      typeof payload !== 'object' ||
      !('text' in payload || 'blocks' in payload || 'attachments' in payload)
    ) {
      answered[400] = (answered[400] ?? 0) + 1;
      return sendText(res, 400, 'no_text', 'text/html');
    }
    const wait = overRate('webhook');
    if (wait !== undefined) return answer(res, 429, wait);
    const now = Date.now();
    messages.push({ receivedAt: new Date(now).toISOString(), path: url.pathname, payload });
    return answer(res, 200);
  };

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sink');
    const path = url.pathname;
    if (
      req.method === 'POST' &&
      (path === '/hook' || path.startsWith('/hook/') || path.startsWith('/services/'))
    ) {
      return onHook(req, res, url);
    }
    const api = /^\/api\/([\w.]+)$/.exec(path);
    if (req.method === 'POST' && api) return onApi(req, res, api[1] as string);
    if (path === '/_mode' && req.method === 'POST') {
      const mode = JSON.parse((await readBody(req)) || '{}') as FailureMode;
      const errorOk = mode.error === undefined || /^[a-z_]{1,60}$/.test(mode.error);
      if (!errorOk || !(Number.isInteger(mode.status) || (mode.status === undefined && mode.error)))
        return sendJson(res, 400, {
          message: 'expected {"status": 429, "retryAfter": 2, "times": 3} or {"error": "channel_not_found"}',
        });
      setFailure(mode);
      return sendJson(res, 200, { failure });
    }
    if (path === '/_mode') return sendJson(res, 200, { failure });
    if (path === '/_stats')
      return sendJson(res, 200, { received: messages.length, answered, ...threadStats(messages) });
    if (path === '/messages' && req.method === 'DELETE') {
      messages.length = 0;
      for (const key of Object.keys(answered)) delete answered[key];
      return sendJson(res, 200, { received: 0 });
    }
    if (path === '/messages') return sendJson(res, 200, messages);
    if (path === '/' && req.method === 'GET')
      return sendText(
        res,
        200,
        renderMessagesHtml(messages, url.searchParams.get('channel') ?? undefined),
        'text/html; charset=utf-8',
      );
    return sendJson(res, 404, { message: `no such path: ${req.method} ${path}` });
  };

  const server = await listen(handler, options);
  return {
    ...server,
    hookUrl: `${server.url}/hook`,
    apiUrl: `${server.url}/api/`,
    messages: () => [...messages],
    setFailure,
  };
}

/** Top-level posts, thread replies and updates (`chat.update` calls that changed a message). */
function threadStats(messages: readonly ReceivedMessage[]) {
  const replies = messages.filter((m) => m.threadTs).length;
  const updates = messages.reduce((sum, m) => sum + (m.edits ?? 0), 0);
  return { topLevel: messages.length - replies, replies, updates };
}
