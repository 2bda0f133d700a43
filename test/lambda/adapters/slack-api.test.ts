import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApiClient, type SlackApiOptions } from '../../../lambda/adapters/slack-api.js';
import { deliveryFailure } from '../../support/delivery-failure.js';
import { recordedClock } from '../../support/recorded-clock.js';
import { type Scripted, type ScriptedServer, startScriptedServer } from '../../support/scripted-server.js';

const TOKEN = 'xoxb-1111-2222-secretpart';
const message = { text: 'nightly-report:42 failed' };
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Slack's answer to a Web API call: HTTP 200 and JSON, `ok` or not. */
function answer(body: Record<string, unknown>, extra: Partial<Extract<Scripted, { status: number }>> = {}) {
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    ...extra,
  };
}
const posted = (ts = '1700000000.000100') => answer({ ok: true, channel: 'C0ALERTS1', ts });
const refused = (error: string) => answer({ ok: false, error });

/** A client whose waits are recorded instead of slept, so no test depends on the clock. */
function client(options: SlackApiOptions = {}) {
  const { waits, now, sleep } = recordedClock();
  const api = createSlackApiClient(TOKEN, {
    apiUrl: `${server?.url}/api/`,
    now,
    sleep,
    timeoutMs: 1000,
    ratePerSecond: 1000,
    methodRatePerSecond: 1000,
    ...options,
  });
  return { api, waits };
}

const form = (i: number) => Object.fromEntries(new URLSearchParams(server?.requests[i]?.body ?? ''));

describe('createSlackApiClient: what it sends', () => {
  it('posts to chat.postMessage with the token as a Bearer header, never in the body, and returns the ts', async () => {
    server = await startScriptedServer([posted()]);
    const { api } = client();
    const at = await api.postMessage('C0ALERTS1', {
      ...message,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }],
    });
    expect(at).toEqual({ channel: 'C0ALERTS1', ts: '1700000000.000100' });
    const request = server.requests[0];
    expect(request?.path).toBe('/api/chat.postMessage');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.body).not.toContain('secretpart');
    expect(form(0)).toMatchObject({ channel: 'C0ALERTS1', text: message.text });
    expect(JSON.parse(form(0).blocks ?? '')).toHaveLength(1);
  });

  it('posts a reply into a thread with thread_ts', async () => {
    server = await startScriptedServer([posted('1700000001.000200')]);
    await client().api.postMessage('C0ALERTS1', message, { threadTs: '1700000000.000100' });
    expect(form(0)).toMatchObject({ channel: 'C0ALERTS1', thread_ts: '1700000000.000100' });
  });

  it('sends its own channel, whatever channel a webhook message names', async () => {
    server = await startScriptedServer([posted()]);
    await client().api.postMessage('C0ALERTS1', { ...message, channel: '#elsewhere' });
    expect(form(0).channel).toBe('C0ALERTS1');
  });

  it('updates a message with chat.update, naming its channel and ts', async () => {
    server = await startScriptedServer([answer({ ok: true, channel: 'C0ALERTS1', ts: '1700000000.000100' })]);
    const at = await client().api.update('C0ALERTS1', '1700000000.000100', { text: '3 stops' });
    expect(at.ts).toBe('1700000000.000100');
    expect(server.requests[0]?.path).toBe('/api/chat.update');
    expect(form(0)).toMatchObject({ channel: 'C0ALERTS1', ts: '1700000000.000100', text: '3 stops' });
  });

  it('reads a thread with conversations.replies, the parent first', async () => {
    server = await startScriptedServer([
      answer({
        ok: true,
        messages: [
          { ts: '1.000100', text: 'parent', thread_ts: '1.000100', reply_count: 1 },
          { ts: '2.000200', text: 'again', thread_ts: '1.000100' },
        ],
      }),
    ]);
    const thread = await client().api.replies('C0ALERTS1', '1.000100');
    expect(thread).toEqual([
      { ts: '1.000100', text: 'parent', threadTs: '1.000100', replyCount: 1 },
      { ts: '2.000200', text: 'again', threadTs: '1.000100' },
    ]);
  });

  it('gives a SlackSender of top-level posts to one channel, for the pipeline as it is', async () => {
    server = await startScriptedServer([posted()]);
    const { api } = client();
    const sender = api.sender('C0ALERTS1');
    await sender.send(message);
    expect(api.sender('C0ALERTS1')).toBe(sender);
    expect(form(0)).toMatchObject({ channel: 'C0ALERTS1', text: message.text });
    expect(form(0).thread_ts).toBeUndefined();
  });
});

describe('createSlackApiClient: rate limits and pace', () => {
  it('waits out Retry-After on ratelimited, spending no attempt, and then posts', async () => {
    server = await startScriptedServer([
      { ...refused('ratelimited'), status: 429, headers: { 'retry-after': '7' } },
      posted(),
    ]);
    const { api, waits } = client({ maxAttempts: 1 });
    await api.postMessage('C0ALERTS1', message);
    expect(server.requests).toHaveLength(2);
    expect(waits).toContain(7000);
  });

  it('waits a second on a 429 without Retry-After', async () => {
    server = await startScriptedServer([{ status: 429, body: '' }, posted()]);
    const { api, waits } = client();
    await api.postMessage('C0ALERTS1', message);
    expect(waits).toContain(1000);
  });

  it('stops at the deadline instead of waiting past it', async () => {
    server = await startScriptedServer([
      { ...refused('ratelimited'), status: 429, headers: { 'retry-after': '30' } },
    ]);
    const { api, waits } = client();
    const error = await deliveryFailure(api.postMessage('C0ALERTS1', message, { deadline: 5000 }));
    expect(error).toMatchObject({ code: 'deadline', permanent: false });
    expect(waits).toEqual([]);
  });

  it('paces posts to one channel, and never holds one channel back for another', async () => {
    server = await startScriptedServer([posted()]);
    const { api, waits } = client({ ratePerSecond: 1 });
    await api.postMessage('C0ALERTS1', message);
    await api.postMessage('C0OTHER22', message);
    expect(waits).toEqual([]);
    await api.postMessage('C0ALERTS1', message);
    expect(waits.map(Math.round)).toEqual([1053]);
  });

  it('counts the posts a channel can start before a given time', () => {
    const { api } = client({ ratePerSecond: 1, apiUrl: 'http://127.0.0.1:1234/api/' });
    expect(api.capacityUntil('C0ALERTS1', 0)).toBe(1);
    expect(api.capacityUntil('C0ALERTS1', 3 * (1000 / 0.95))).toBe(4);
    expect(api.sender('C0ALERTS1').capacityUntil(0)).toBe(1);
  });
});

describe('createSlackApiClient: failures', () => {
  it.each([
    'channel_not_found',
    'not_in_channel',
    'invalid_auth',
    'not_authed',
    'account_inactive',
    'token_revoked',
    'msg_too_long',
    'missing_scope',
    'restricted_action',
    'is_archived',
    'no_text',
  ])('fails at once and for good on %s, naming the code and the channel', async (code) => {
    server = await startScriptedServer([refused(code), posted()]);
    const error = await deliveryFailure(client().api.postMessage('C0ALERTS1', message));
    expect(error).toMatchObject({ code, permanent: true, ambiguous: false });
    expect(error.message).toMatch(new RegExp(`^Slack answered ${code} \\(chat.postMessage to C0ALERTS1\\)`));
    expect(server.requests).toHaveLength(1);
  });

  it('says what to do about a channel the app is not in', async () => {
    server = await startScriptedServer([refused('not_in_channel')]);
    const error = await deliveryFailure(client().api.postMessage('C0ALERTS1', message));
    expect(error.message).toContain('invite the app to C0ALERTS1');
  });

  it.each(['invalid_blocks', 'invalid_attachments', 'invalid_blocks_format'])(
    "reports %s as invalid_payload, so the pipeline tries the facts as plain text, and names Slack's code",
    async (code) => {
      server = await startScriptedServer([refused(code)]);
      const error = await deliveryFailure(client().api.postMessage('C0ALERTS1', message));
      expect(error).toMatchObject({ code: 'invalid_payload', permanent: true });
      expect(error.message).toContain(code);
    },
  );

  it.each([
    ['service_unavailable', refused('service_unavailable')],
    ['HTTP 503', { status: 503, body: 'down' }],
    ['HTTP 500', { status: 500, body: '' }],
  ])('backs off on %s and posts once Slack recovers', async (_, first) => {
    server = await startScriptedServer([first, first, posted()]);
    const { api, waits } = client({ backoffMs: 100 });
    await api.postMessage('C0ALERTS1', message);
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it.each(['internal_error', 'fatal_error'])(
    'never posts again after %s: Slack says some of it may have happened',
    async (code) => {
      server = await startScriptedServer([refused(code), posted()]);
      const error = await deliveryFailure(client().api.postMessage('C0ALERTS1', message));
      expect(error).toMatchObject({ code, permanent: false, ambiguous: true });
      expect(server.requests).toHaveLength(1);
    },
  );

  it('updates again after internal_error: an update done twice is done once', async () => {
    server = await startScriptedServer([refused('internal_error'), posted()]);
    await client({ backoffMs: 10 }).api.update('C0ALERTS1', '1700000000.000100', message);
    expect(server.requests).toHaveLength(2);
  });

  it('never posts again after a timeout: the post may have landed', async () => {
    server = await startScriptedServer([{ hang: true }, posted()]);
    const error = await deliveryFailure(client({ timeoutMs: 200 }).api.postMessage('C0ALERTS1', message));
    expect(error).toMatchObject({ code: 'timeout', permanent: false, ambiguous: true });
    expect(server.requests).toHaveLength(1);
  });

  it('never posts again after the connection dropped once the request was sent', async () => {
    server = await startScriptedServer([{ reset: true }, posted()]);
    const error = await deliveryFailure(client().api.postMessage('C0ALERTS1', message));
    expect(error).toMatchObject({ code: 'network_error', ambiguous: true });
    expect(server.requests).toHaveLength(1);
  });

  it('updates again after a timeout', async () => {
    server = await startScriptedServer([{ hang: true }, posted()]);
    await client({ timeoutMs: 200, backoffMs: 10 }).api.update('C0ALERTS1', '1700000000.000100', message);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a refused connection, which sent nothing', async () => {
    server = await startScriptedServer([posted()]);
    const url = `${server.url}/api/`;
    await server.close();
    server = undefined;
    const retries: number[] = [];
    const error = await deliveryFailure(
      client({
        apiUrl: url,
        maxAttempts: 3,
        backoffMs: 10,
        onRetry: (r) => retries.push(r.attempt),
      }).api.postMessage('C0ALERTS1', message),
    );
    expect(error).toMatchObject({ code: 'network_error', ambiguous: false });
    expect(retries).toEqual([2, 3]);
  });

  it.each([301, 302, 307])('fails for good on a %i redirect: nothing was posted', async (status) => {
    server = await startScriptedServer([{ status, headers: { location: 'https://example.com/' } }]);
    const error = await deliveryFailure(client().api.postMessage('C0ALERTS1', message));
    expect(error).toMatchObject({ code: 'redirect', permanent: true, ambiguous: false, status });
    expect(server.requests).toHaveLength(1);
  });

  it("never repeats an answer that is not Slack's JSON, and says the post may have landed", async () => {
    server = await startScriptedServer([{ status: 200, body: `ok ${TOKEN}` }]);
    const error = await deliveryFailure(client().api.postMessage('C0ALERTS1', message));
    expect(error).toMatchObject({ code: 'invalid_response', ambiguous: true });
    expect(error.message).not.toContain('secretpart');
  });

  it.each([
    ['refused', refused('invalid_auth')],
    ['dropped', { reset: true } as const],
    ['silent', { hang: true } as const],
    ['answering 500', { status: 500, body: TOKEN }],
  ])('never puts the token in an error when Slack is %s', async (_, step) => {
    server = await startScriptedServer([step]);
    const error = await deliveryFailure(
      client({ maxAttempts: 1, timeoutMs: 200 }).api.postMessage('C0ALERTS1', message),
    );
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain('secretpart');
  });
});

describe('createSlackApiClient: a malformed token or URL', () => {
  it.each([
    [' xoxb-1-2-abc', 'it has a space or a line break before or after it'],
    ['xapp-1-A0-1-abc', 'it is an app-level token (xapp-), which cannot post'],
    ['https://hooks.slack.com/services/T0/B0/abc', 'it does not start with xoxb-'],
    ['xoxb-1-2-abc\ndef', 'it has a character Slack tokens never hold'],
  ])('refuses %j at once, saying what is wrong and never repeating it', (token, problem) => {
    let error: unknown;
    try {
      createSlackApiClient(token);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'invalid_token', permanent: true });
    expect((error as Error).message).toContain(`the Slack bot token is malformed: ${problem}`);
    expect((error as Error).message).not.toContain('abc');
  });

  it('refuses an API URL that is not one', () => {
    expect(() => createSlackApiClient(TOKEN, { apiUrl: 'slack.com/api' })).toThrow(
      'the Slack API URL is malformed: it is not a URL (no https:// in front?)',
    );
  });
});
