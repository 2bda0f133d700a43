import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHANNEL_ID } from '../lambda/domain/config/slack-channel.js';
import { readBody, sendJson } from './http.js';
import type { ReceivedMessage } from './slack-html.js';

/** What the Web API side of the sink shares with the webhook side: the messages and the modes. */
export interface ApiSinkState {
  messages: ReceivedMessage[];
  /** Counts an answer by its HTTP status, as `/_stats` shows them. */
  count(status: number): void;
  /** The failure to answer this call with (`POST /_mode`), if one is set: taken once. */
  takeFailure(): { status: number; retryAfter: number; error?: string } | null;
  /** Seconds to wait when `key` is over its rate (a channel's posts), else `undefined`; counts the call. */
  overRate(key: string): number | undefined;
  /** The bot tokens accepted; any `xoxb-`/`xoxp-` token when omitted. */
  tokens?: ReadonlySet<string>;
  /** The channels that exist; any channel ID when omitted. */
  channels?: ReadonlySet<string>;
  now(): number;
}

/** Web API methods the sink answers, as Slack does, at `/api/<method>`. */
export const API_METHODS = ['chat.postMessage', 'chat.update', 'conversations.replies'] as const;

type Args = Record<string, unknown>;
type Answer = { error: string } | { ok: Args };

/** Content fields that form bodies carry as JSON text. */
const JSON_FIELDS = ['blocks', 'attachments', 'metadata'];
/** Fields of a call that are not the message's content. */
const NOT_CONTENT = new Set(['token', 'channel', 'ts', 'thread_ts', 'as_user', 'limit', 'cursor']);

/**
 * Answers `POST /api/<method>` like Slack's Web API: a Bearer token (`not_authed`,
 * `invalid_auth`), JSON or form bodies, `{ok: true, …}` or `{ok: false, error}` with HTTP 200,
 * 429 `ratelimited` with `Retry-After`, and the failure `/_mode` sets.
 */
export function createApiHandler(state: ApiSinkState) {
  let lastTs = 0;
  /** Slack's ts: epoch seconds and microseconds, unique and rising. */
  const nextTs = () => {
    lastTs = Math.max(state.now() * 1000, lastTs + 1);
    return `${Math.floor(lastTs / 1e6)}.${String(lastTs % 1e6).padStart(6, '0')}`;
  };
  const find = (channel: string, ts: string) =>
    state.messages.find((m) => m.channel === channel && m.ts === ts);

  const methods: Record<string, (args: Args) => Answer> = {
    'chat.postMessage': (args) => {
      const channel = String(args.channel);
      const content = contentOf(args);
      if (!('text' in content || 'blocks' in content || 'attachments' in content))
        return { error: 'no_text' };
      let threadTs: string | undefined;
      if (args.thread_ts !== undefined) {
        const parent = find(channel, String(args.thread_ts));
        if (!parent) return { error: 'thread_not_found' };
        // A reply to a reply goes to the thread's parent, as in Slack.
        threadTs = parent.threadTs ?? parent.ts;
      }
      const ts = nextTs();
      state.messages.push({
        receivedAt: new Date(state.now()).toISOString(),
        path: '/api/chat.postMessage',
        payload: content,
        channel,
        ts,
        ...(threadTs ? { threadTs } : {}),
      });
      return { ok: { channel, ts, message: slackMessage(content, ts, threadTs) } };
    },
    'chat.update': (args) => {
      const channel = String(args.channel);
      const ts = String(args.ts ?? '');
      const message = find(channel, ts);
      if (!message) return { error: 'message_not_found' };
      const content = contentOf(args);
      if (!('text' in content || 'blocks' in content || 'attachments' in content))
        return { error: 'no_text' };
      message.payload = content;
      message.editedAt = new Date(state.now()).toISOString();
      message.edits = (message.edits ?? 0) + 1;
      return {
        ok: { channel, ts, text: content.text ?? '', message: slackMessage(content, ts, message.threadTs) },
      };
    },
    'conversations.replies': (args) => {
      const channel = String(args.channel);
      const parent = find(channel, String(args.ts ?? ''));
      if (!parent?.ts) return { error: 'thread_not_found' };
      const replies = state.messages.filter((m) => m.channel === channel && m.threadTs === parent.ts);
      const head = slackMessage(parent.payload as Args, parent.ts, replies.length ? parent.ts : undefined);
      return {
        ok: {
          messages: [
            replies.length ? { ...head, reply_count: replies.length } : head,
            ...replies.map((r) => slackMessage(r.payload as Args, r.ts ?? '', parent.ts)),
          ],
          has_more: false,
        },
      };
    },
  };

  return async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    const body = await readBody(req);
    const reply = (status: number, json: Args, headers: Record<string, string> = {}) => {
      state.count(status);
      sendJson(res, status, json, headers);
    };
    const call = methods[method];
    if (!call) return reply(404, { ok: false, error: 'unknown_method' });
    const args = parseArgs(body, req.headers['content-type'] ?? '');
    if (!args) return reply(200, { ok: false, error: 'invalid_form_data' });
    const token =
      bearer(req.headers.authorization) ?? (typeof args.token === 'string' ? args.token : undefined);
    if (!token) return reply(200, { ok: false, error: 'not_authed' });
    if (state.tokens ? !state.tokens.has(token) : !/^(xoxe\.)?xox[bp]-[A-Za-z0-9-]+$/.test(token))
      return reply(200, { ok: false, error: 'invalid_auth' });
    const channel = typeof args.channel === 'string' ? args.channel : '';
    if (!CHANNEL_ID.test(channel) || (state.channels && !state.channels.has(channel)))
      return reply(200, { ok: false, error: 'channel_not_found' });
    const failure = state.takeFailure();
    if (failure) {
      const { status, retryAfter, error } = failure;
      if (status === 429)
        return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
      // Slack's errors come with HTTP 200; a 5xx is its edge failing, which the mode may ask for too.
      return reply(status, {
        ok: false,
        error: error ?? (status >= 500 ? 'service_unavailable' : 'internal_error'),
      });
    }
    if (method === 'chat.postMessage') {
      const wait = state.overRate(channel);
      if (wait !== undefined)
        return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(wait) });
    }
    const answer = call(args);
    return 'error' in answer
      ? reply(200, { ok: false, error: answer.error })
      : reply(200, { ok: true, ...answer.ok });
  };
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer (\S+)$/.exec(header ?? '');
  return match?.[1];
}

/** A call's arguments from JSON or a form; form fields holding JSON (blocks…) parsed; `undefined` if unreadable. */
function parseArgs(body: string, contentType: string): Args | undefined {
  if (contentType.startsWith('application/json')) {
    try {
      const parsed: unknown = JSON.parse(body || '{}');
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Args) : undefined;
    } catch {
      return undefined;
    }
  }
  if (!contentType.startsWith('application/x-www-form-urlencoded')) return undefined;
  const args: Args = Object.fromEntries(new URLSearchParams(body));
  for (const key of JSON_FIELDS) {
    if (typeof args[key] !== 'string') continue;
    try {
      args[key] = JSON.parse(args[key] as string);
    } catch {
      return undefined;
    }
  }
  return args;
}

function contentOf(args: Args): Args {
  return Object.fromEntries(Object.entries(args).filter(([key]) => !NOT_CONTENT.has(key)));
}

/** A message as Slack's answers show it: posted by a bot, with its ts and thread. */
function slackMessage(content: Args, ts: string, threadTs: string | undefined): Args {
  return {
    type: 'message',
    subtype: 'bot_message',
    bot_id: 'B0LOCALSINK',
    ...content,
    ts,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  };
}
