import { ErrorCode } from '@slack/web-api';
import { SlackDeliveryError, toDeliveryError } from './slack-errors.js';
import { retryAfterMs } from './slack-retry.js';

/** Slack's answers that a retry may fix: nothing was done, try again later. */
const RETRYABLE = new Set([
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
  'org_login_required',
  'update_failed',
]);

/**
 * Slack's own words for a failure that may have half happened: "It's possible some aspect of the
 * operation succeeded before the error was raised". A post may have landed; an update may be retried.
 */
const MAYBE_DONE = new Set(['internal_error', 'fatal_error']);

/** Slack refused our blocks or attachments: the pipeline tries the same facts as plain text once. */
const PAYLOAD_REFUSED = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_attachments',
  'invalid_arguments',
]);

/** What a user can do about a refusal, by Slack's error code. */
const HINTS: Record<string, (call: ApiCall) => string> = {
  channel_not_found: (c) =>
    `the app cannot see channel ${c.channel}: check the ID, and invite the app to a private channel`,
  not_in_channel: (c) =>
    `invite the app to ${c.channel} (/invite @app), or give it the chat:write.public scope`,
  is_archived: (c) => `channel ${c.channel} is archived`,
  not_authed: () => 'no bot token was sent',
  invalid_auth: () =>
    "the bot token was not accepted: is it the app's Bot User OAuth Token (xoxb-), of this workspace?",
  token_revoked: () => 'the bot token was revoked (the app was removed?): install the app again',
  token_expired: () => 'the bot token has expired: install the app again, or turn off token rotation',
  account_inactive: () => 'the bot token belongs to a deleted app or workspace',
  missing_scope: () => 'the app lacks a scope it needs: add it and reinstall the app',
  message_not_found: (c) => `no message ${c.ts ?? ''} in ${c.channel}`.replace('  ', ' '),
  thread_not_found: (c) => `no message ${c.ts ?? ''} in ${c.channel}`.replace('  ', ' '),
  cant_update_message: () => 'the app may only update its own messages',
};

/** The call that failed, for words in its error (neither holds a secret). */
export interface ApiCall {
  method: string;
  channel: string;
  ts?: string;
  /** Making the call twice does what making it once does (an update, a read): a timeout may be retried. */
  idempotent: boolean;
}

/**
 * What `@slack/web-api` threw, as a {@link SlackDeliveryError} whose words name Slack's error code,
 * the method and the channel, never the token: `ratelimited` waits `Retry-After`; a retryable
 * code, a 5xx or a failure to connect is retried; a request that may have reached Slack (a
 * timeout, a dropped connection, `internal_error`) is `ambiguous` unless the call is idempotent;
 * anything else Slack refused is permanent.
 */
export function toApiDeliveryError(error: unknown, call: ApiCall): SlackDeliveryError {
  const where = `${call.method} to ${call.channel}`;
  const code = (error as { code?: unknown }).code;
  if (code === ErrorCode.RateLimitedError) {
    const seconds = (error as { retryAfter?: number }).retryAfter;
    return new SlackDeliveryError(`Slack answered ratelimited (${where})`, {
      code: 'ratelimited',
      permanent: false,
      status: 429,
      retryAfterMs: retryAfterMs(String(seconds)),
    });
  }
  if (code === ErrorCode.PlatformError) return platformError(error as { data?: { error?: unknown } }, call);
  if (code === ErrorCode.HTTPError) {
    const status = (error as { statusCode: number }).statusCode;
    if (status >= 300 && status < 400)
      return new SlackDeliveryError(
        `Slack's API answered ${status}, a redirect: nothing was sent (is the API URL Slack's?)`,
        { code: 'redirect', permanent: true, status },
      );
    return new SlackDeliveryError(`Slack answered HTTP ${status} (${where})`, {
      code: `http_${status}`,
      permanent: status < 500,
      status,
    });
  }
  const original = code === ErrorCode.RequestError ? (error as { original?: unknown }).original : error;
  const failure = toDeliveryError({ original });
  if (!failure.ambiguous || !call.idempotent) return failure;
  return new SlackDeliveryError(failure.message, { code: failure.code, permanent: false });
}

function platformError(error: { data?: { error?: unknown } }, call: ApiCall): SlackDeliveryError {
  const answer = error.data?.error;
  // A body that is not Slack's JSON comes back as its text: never repeat it.
  const slackCode = typeof answer === 'string' && /^[a-z_]{1,60}$/.test(answer) ? answer : undefined;
  const where = `${call.method} to ${call.channel}`;
  if (!slackCode)
    return new SlackDeliveryError(
      `Slack's answer to ${where} was not the Web API's JSON (is the API URL Slack's?)`,
      {
        code: 'invalid_response',
        permanent: false,
        ambiguous: !call.idempotent,
      },
    );
  const hint = HINTS[slackCode]?.(call);
  const message = `Slack answered ${slackCode} (${where})${hint ? `: ${hint}` : ''}`;
  if (slackCode === 'ratelimited' || slackCode === 'rate_limited')
    return new SlackDeliveryError(message, { code: 'ratelimited', permanent: false, retryAfterMs: 1000 });
  if (RETRYABLE.has(slackCode)) return new SlackDeliveryError(message, { code: slackCode, permanent: false });
  if (MAYBE_DONE.has(slackCode))
    return new SlackDeliveryError(message, {
      code: slackCode,
      permanent: false,
      ambiguous: !call.idempotent,
    });
  return new SlackDeliveryError(message, {
    code: PAYLOAD_REFUSED.has(slackCode) ? 'invalid_payload' : slackCode,
    permanent: true,
  });
}
