import { type FetchFunction, type Logger, LogLevel, WebClient } from '@slack/web-api';

/** The `fetch` a client calls (the global one by default). */
export type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** WebClient logs to the console by default; ours decides what is said, so it says nothing. */
const SILENT: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

/**
 * `@slack/web-api`'s client, made to try each call once: retries and rate limits are the caller's
 * (a WebClient retry would resend a post that may have landed, and wait past any deadline), it
 * logs nothing, and it calls only Slack's methods at `apiUrl`, through `fetch`.
 */
export function createWebClient(
  token: string,
  options: { apiUrl: string; timeoutMs: number; fetch: Fetch },
): WebClient {
  return new WebClient(token, {
    slackApiUrl: options.apiUrl,
    logger: SILENT,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    allowAbsoluteUrls: false,
    timeout: options.timeoutMs,
    fetch: withRetryAfter(options.fetch) as unknown as FetchFunction,
  });
}

/**
 * A 429 without a readable `Retry-After` gets one of a second: WebClient would otherwise throw an
 * error whose words hold the URL, and that is no rate limit we could wait out.
 */
function withRetryAfter(base: Fetch): Fetch {
  return async (input, init) => {
    const response = await base(input, init);
    const header = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
    if (response.status !== 429 || Number.isFinite(header)) return response;
    const headers = new Headers(response.headers);
    headers.set('retry-after', '1');
    return new Response(await response.arrayBuffer(), {
      status: 429,
      statusText: response.statusText,
      headers,
    });
  };
}
