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
}

/** A message Slack did not take, or whose fate is unknown (`ambiguous`). Never holds the webhook URL. */
export class SlackDeliveryError extends Error {
  readonly code: string;
  readonly permanent: boolean;
  readonly ambiguous: boolean;
  readonly status?: number;
  constructor(message: string, failure: SlackFailure) {
    super(message);
    this.name = 'SlackDeliveryError';
    this.code = failure.code;
    this.permanent = failure.permanent;
    this.ambiguous = failure.ambiguous ?? false;
    if (failure.status !== undefined) this.status = failure.status;
  }
}

/**
 * Throws a permanent {@link SlackDeliveryError} (`invalid_url`) when `url` is not an http(s) URL
 * with a host. The message says what is wrong, never the URL (it holds the webhook's secret).
 */
export function checkWebhookUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  const problem = !parsed
    ? 'it is not a URL'
    : parsed.protocol !== 'https:' && parsed.protocol !== 'http:'
      ? `its scheme is ${JSON.stringify(parsed.protocol.slice(0, 20))}, not https:`
      : !parsed.hostname
        ? 'it has no host'
        : undefined;
  if (problem) {
    throw new SlackDeliveryError(`the webhook URL is malformed: ${problem}`, {
      code: 'invalid_url',
      permanent: true,
    });
  }
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
    const body = typeof error.body === 'string' ? error.body.trim().slice(0, 100) : '';
    const code = /^[a-z_]+$/.test(body) ? body : `http_${status}`;
    return new SlackDeliveryError(`Slack answered ${status} ${code}`, {
      code,
      permanent: PERMANENT_STATUS.has(status),
      status,
    });
  }
  const cause = (error.original ?? error) as Error & { cause?: { code?: unknown; message?: unknown } };
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
