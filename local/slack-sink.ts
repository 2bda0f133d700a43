import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ListenOptions, listen, type RunningServer, readBody, sendJson, sendText } from './http.js';
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

/** A failure to answer the next `times` posts with (`POST /_mode`). */
export interface FailureMode {
  status: number;
  /** Seconds, sent as `Retry-After` (429 only). @default 1 */
  retryAfter?: number;
  /** @default 1 */
  times?: number;
}

export interface SlackSinkOptions extends ListenOptions {
  /** Posts accepted per second; more in any one-second window get 429 `rate_limited`. */
  ratePerSecond?: number;
}

export interface SlackSink extends RunningServer {
  /** Where to post: `${url}/hook`. */
  hookUrl: string;
  messages(): ReceivedMessage[];
  setFailure(mode: FailureMode | null): void;
}

/**
 * A Slack incoming-webhook stand-in. Posts to `/hook` or `/services/…` answer `ok`, or a failure
 * set by `POST /_mode {"status":429,"retryAfter":2,"times":3}` or `?status=410` on the post;
 * `GET /messages` lists what it took, `GET /` shows it like Slack, `GET /_stats` counts answers.
 */
export async function startSlackSink(options: SlackSinkOptions = {}): Promise<SlackSink> {
  const messages: ReceivedMessage[] = [];
  const answered: Record<string, number> = {};
  const accepted: number[] = [];
  let failure: Required<FailureMode> | null = null;
  const setFailure = (mode: FailureMode | null) => {
    failure = mode && mode.status !== 200 ? { retryAfter: 1, times: 1, ...mode } : null;
  };

  const answer = (res: ServerResponse, status: number, retryAfter?: number) => {
    answered[status] = (answered[status] ?? 0) + 1;
    if (status === 429) res.setHeader('retry-after', String(retryAfter ?? 1));
    sendText(res, status, status === 200 ? 'ok' : (SLACK_ERRORS[status] ?? `http_${status}`), 'text/html');
  };

  const onHook = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const body = await readBody(req);
    const forced = Number(url.searchParams.get('status') ?? '');
    if (forced >= 400) return answer(res, forced, Number(url.searchParams.get('retryAfter') ?? '1'));
    if (failure) {
      const { status, retryAfter } = failure;
      failure = --failure.times > 0 ? failure : null;
      return answer(res, status, retryAfter);
    }
    const now = Date.now();
    while (accepted.length && (accepted[0] ?? 0) <= now - 1000) accepted.shift();
    if (options.ratePerSecond && accepted.length >= options.ratePerSecond) {
      return answer(res, 429, Math.max(1, Math.ceil(((accepted[0] ?? now) + 1000 - now) / 1000)));
    }
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
    accepted.push(now);
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
    if (path === '/_mode' && req.method === 'POST') {
      const mode = JSON.parse((await readBody(req)) || '{}') as FailureMode;
      if (!Number.isInteger(mode.status))
        return sendJson(res, 400, { message: 'expected {"status": 429, "retryAfter": 2, "times": 3}' });
      setFailure(mode);
      return sendJson(res, 200, { failure });
    }
    if (path === '/_mode') return sendJson(res, 200, { failure });
    if (path === '/_stats') return sendJson(res, 200, { received: messages.length, answered });
    if (path === '/messages' && req.method === 'DELETE') {
      messages.length = 0;
      for (const key of Object.keys(answered)) delete answered[key];
      return sendJson(res, 200, { received: 0 });
    }
    if (path === '/messages') return sendJson(res, 200, messages);
    if (path === '/' && req.method === 'GET')
      return sendText(res, 200, renderMessagesHtml(messages), 'text/html; charset=utf-8');
    return sendJson(res, 404, { message: `no such path: ${req.method} ${path}` });
  };

  const server = await listen(handler, options);
  return { ...server, hookUrl: `${server.url}/hook`, messages: () => [...messages], setFailure };
}
