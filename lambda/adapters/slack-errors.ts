import { NotifierError } from '../domain/errors.js';

/** Slack's answers that no retry can fix. */
const PERMANENT_STATUS = new Set([400, 403, 404, 410]);

/**
 * Failures that happen before a request leaves: the connection was refused, the host or route
 * does not exist, or TLS failed. Everything else after a request was sent is ambiguous.
 */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);
const TLS_FAILURE = /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

export interface SlackFailure {
  /** Slack's error code (`invalid_payload`, `no_service`…), or ours (`timeout`, `network_error`…). */
  code: string;
  /** No retry can fix it: the record goes to the DLQ instead. */
  permanent: boolean;
  /**
   * The request may have reached Slack (it timed out or the connection dropped after it was
   * sent): sending it again may post it twice.
   */
  ambiguous?: boolean;
  status?: number;
  /**
   * Slack asked to wait this long before trying again (a rate limit): the wait spends no attempt,
   * and holds back every send that shares the pace.
   */
  retryAfterMs?: number;
}

/** A message Slack did not take, or whose fate is unknown (`ambiguous`). Never holds the webhook URL. */
export class SlackDeliveryError extends NotifierError {
  readonly code: string;
  readonly permanent: boolean;
  readonly ambiguous: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  constructor(message: string, failure: SlackFailure) {
    super(message);
    this.code = failure.code;
    this.permanent = failure.permanent;
    this.ambiguous = failure.ambiguous ?? false;
    if (failure.status !== undefined) this.status = failure.status;
    if (failure.retryAfterMs !== undefined) this.retryAfterMs = failure.retryAfterMs;
  }
}

/**
 * Ports the Fetch standard blocks (https://fetch.spec.whatwg.org/#port-blocking): `fetch` refuses
 * them before any request leaves, so a webhook URL on one can never work.
 */
const BLOCKED_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/**
 * What is wrong with a webhook URL, in words that never repeat it (its path is the webhook's
 * secret), or `undefined` when it can be posted to: an http(s) URL with a host, nothing around it,
 * no user name or password, not on a port `fetch` refuses. The one check of the CLI and the Lambda.
 */
export function webhookUrlProblem(url: string): string | undefined {
  if (url.trim() !== url) return 'it has a space or a line break before or after it';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return 'it has a space or a control character in it';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return /^[a-z][a-z0-9+.-]*:/i.test(url) ? 'it is not a URL' : 'it is not a URL (no https:// in front?)';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return `its scheme is ${JSON.stringify(parsed.protocol.slice(0, 20))}, not https:`;
  if (!parsed.hostname) return 'it has no host';
  if (parsed.username || parsed.password) return 'it has a user name or password before the host';
  if (parsed.port && BLOCKED_PORTS.has(Number(parsed.port)))
    return `its port ${parsed.port} is one fetch refuses to connect to`;
  return undefined;
}

/**
 * Throws a permanent {@link SlackDeliveryError} (`invalid_url`) naming what is wrong with `url`
 * ({@link webhookUrlProblem}), never the URL itself.
 */
export function checkWebhookUrl(url: string): void {
  const problem = webhookUrlProblem(url);
  if (problem) {
    throw new SlackDeliveryError(`the webhook URL is malformed: ${problem}`, {
      code: 'invalid_url',
      permanent: true,
    });
  }
}

/**
 * What is wrong with a bot token, in words that never repeat it, or `undefined`: Slack's bot
 * tokens start `xoxb-` (a user token, `xoxp-`, posts too) and hold letters, digits and dashes.
 */
export function botTokenProblem(token: string): string | undefined {
  if (token.trim() !== token) return 'it has a space or a line break before or after it';
  if (token === '') return 'it is empty';
  if (token.startsWith('xapp-'))
    return 'it is an app-level token (xapp-), which cannot post: give the Bot User OAuth Token (xoxb-)';
  if (!/^(xoxe\.)?xox[bp]-/.test(token))
    return 'it does not start with xoxb- (copy the Bot User OAuth Token from the app\'s "OAuth & Permissions" page)';
  if (!/^(xoxe\.)?xox[bp]-[A-Za-z0-9-]+$/.test(token)) return 'it has a character Slack tokens never hold';
  return undefined;
}

/** Slack's answer, or the network's silence, as a {@link SlackDeliveryError}. */
export function toDeliveryError(thrown: unknown): SlackDeliveryError {
  // p-retry wraps the 4xx errors it must not retry; unwrap them.
  const error = ((thrown as { originalError?: unknown }).originalError ?? thrown) as {
    statusCode?: number;
    body?: unknown;
    original?: Error;
  };
  const status = error.statusCode;
  if (typeof status === 'number' && status > 0) {
    if (status >= 300 && status < 400) {
      // Followed, a redirect would turn the POST into a GET elsewhere: nothing was posted.
      return new SlackDeliveryError(
        `the webhook answered ${status}, a redirect: nothing was posted (is the URL Slack's webhook URL?)`,
        { code: 'redirect', permanent: true, status },
      );
    }
    const body = typeof error.body === 'string' ? error.body.trim().slice(0, 100) : '';
    const code = /^[a-z_]+$/.test(body) ? body : `http_${status}`;
    return new SlackDeliveryError(`Slack answered ${status} ${code}`, {
      code,
      permanent: PERMANENT_STATUS.has(status),
      status,
    });
  }
  const cause = (error.original ?? error) as Error & { cause?: { code?: unknown; message?: unknown } };
  const refusal = refusedBeforeSending(cause);
  if (refusal) {
    return new SlackDeliveryError(`the request was refused before it left: ${refusal}`, {
      code: 'invalid_url',
      permanent: true,
    });
  }
  const timedOut = cause.name === 'AbortError' || cause.name === 'TimeoutError';
  // Only codes and names go into the message: a cause's own message can hold the URL.
  const detail = typeof cause.cause?.code === 'string' ? cause.cause.code : cause.name;
  const notSent = NOT_SENT.has(detail) || TLS_FAILURE.test(detail);
  const code = timedOut ? 'timeout' : 'network_error';
  const what = timedOut
    ? 'no answer from Slack in time'
    : notSent
      ? 'could not reach Slack'
      : 'the connection to Slack dropped';
  return new SlackDeliveryError(`${what}: ${code} (${detail})`, {
    code,
    permanent: false,
    ambiguous: !notSent,
  });
}

/**
 * Why `fetch` refused the request without sending it, when it did: a blocked port, a URL it
 * cannot request (credentials in it), a redirect where none is allowed. Only fixed words: the
 * error's own message holds the URL.
 */
function refusedBeforeSending(error: Error & { cause?: { message?: unknown } }): string | undefined {
  if (error.name !== 'TypeError') return undefined;
  const why = typeof error.cause?.message === 'string' ? error.cause.message : undefined;
  if (why === 'bad port') return 'its port is one fetch refuses to connect to';
  if (why === 'unexpected redirect') return 'the webhook answered with a redirect';
  if (error.cause === undefined && /cannot be constructed|credentials/i.test(error.message))
    return 'fetch cannot request this URL (a user name or password in it?)';
  return undefined;
}
