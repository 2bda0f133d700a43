import { afterEach, describe, expect, it } from 'vitest';
import { createSlackSender, SlackDeliveryError } from '../../../lambda/adapters/slack.js';
import { toDeliveryError } from '../../../lambda/adapters/slack-errors.js';
import { deliveryFailure } from '../../support/delivery-failure.js';
import { recordedClock } from '../../support/recorded-clock.js';
import { type ScriptedServer, startScriptedServer } from '../../support/scripted-server.js';

const message = { text: 'nightly-report:42 succeeded' };
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A sender whose waits are recorded instead of slept, so no test depends on the clock. */
function sender(url: string, options: Parameters<typeof createSlackSender>[1] = {}) {
  const { waits, now, sleep } = recordedClock();
  const send = createSlackSender(url, {
    now,
    sleep,
    timeoutMs: 1000,
    ratePerSecond: 1000,
    ...options,
  });
  return { send, waits };
}

describe('createSlackSender', () => {
  it('posts the message as JSON through IncomingWebhook', async () => {
    server = await startScriptedServer([{ status: 200 }]);
    await sender(`${server.url}/hook`).send.send(message);
    expect(server.requests).toHaveLength(1);
    expect(JSON.parse(server.requests[0]?.body ?? '')).toMatchObject(message);
  });

  it('waits out Retry-After on 429 and then delivers', async () => {
    server = await startScriptedServer([
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '7' } },
      { status: 200 },
    ]);
    const { send, waits } = sender(`${server.url}/hook`);
    await send.send(message);
    expect(server.requests).toHaveLength(2);
    expect(waits).toContain(7000);
  });

  it('waits a second on a 429 without Retry-After', async () => {
    server = await startScriptedServer([{ status: 429, body: 'rate_limited' }, { status: 200 }]);
    const { send, waits } = sender(`${server.url}/hook`);
    await send.send(message);
    expect(waits).toContain(1000);
  });

  it('backs off exponentially on 5xx and delivers when Slack recovers', async () => {
    server = await startScriptedServer([{ status: 500 }, { status: 503 }, { status: 200 }]);
    const { send, waits } = sender(`${server.url}/hook`, { backoffMs: 100 });
    await send.send(message);
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it('starts the backoff at its first step after 429s, which spent no attempt', async () => {
    server = await startScriptedServer([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 500 },
      { status: 200 },
    ]);
    const attempts: number[] = [];
    const { send, waits } = sender(`${server.url}/hook`, {
      backoffMs: 100,
      onRetry: (r) => attempts.push(r.attempt),
    });
    await send.send(message);
    expect(server.requests).toHaveLength(4);
    expect(waits).toEqual([1000, 1000, 100]);
    expect(attempts).toEqual([1, 1, 2]);
  });

  it.each([
    [400, 'invalid_payload'],
    [403, 'action_prohibited'],
    [404, 'no_service'],
    [404, 'channel_not_found'],
    [410, 'channel_is_archived'],
  ])("fails a permanent %i %s at once, naming Slack's error", async (status, code) => {
    server = await startScriptedServer([{ status, body: code }]);
    const error = await deliveryFailure(sender(`${server.url}/hook`).send.send(message));
    expect(error).toMatchObject({ code, permanent: true, status });
    expect(error.message).toBe(`Slack answered ${status} ${code}`);
    expect(server.requests).toHaveLength(1);
  });

  it('never resends after a connection dropped once the request was sent: the post may have arrived', async () => {
    server = await startScriptedServer([{ reset: true }, { status: 200 }]);
    const error = await deliveryFailure(
      sender(`${server.url}/hook`, { maxAttempts: 3, backoffMs: 10 }).send.send(message),
    );
    expect(error).toMatchObject({ code: 'network_error', permanent: false, ambiguous: true });
    expect(server.requests).toHaveLength(1);
  });

  it('never resends after a timeout: the post may have arrived', async () => {
    server = await startScriptedServer([{ hang: true }, { status: 200 }]);
    const error = await deliveryFailure(
      sender(`${server.url}/hook`, { maxAttempts: 3, timeoutMs: 200 }).send.send(message),
    );
    expect(error).toMatchObject({ code: 'timeout', permanent: false, ambiguous: true });
    expect(server.requests).toHaveLength(1);
  });

  it('waits for a Slack that takes 6 seconds to answer, and posts once', async () => {
    server = await startScriptedServer([{ status: 200, delayMs: 6000 }]);
    await createSlackSender(`${server.url}/hook`).send(message);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a refused connection, which sent nothing, and says it is not ambiguous', async () => {
    const closed = await startScriptedServer([{ status: 200 }]);
    const url = `${closed.url}/hook`;
    await closed.close();
    const retries: number[] = [];
    const error = await deliveryFailure(
      sender(url, { maxAttempts: 3, backoffMs: 10, onRetry: (r) => retries.push(r.attempt) }).send.send(
        message,
      ),
    );
    expect(error).toMatchObject({ code: 'network_error', permanent: false, ambiguous: false });
    expect(error.message).toContain('ECONNREFUSED');
    expect(retries).toEqual([2, 3]);
  });

  it.each([
    [
      'no scheme',
      'hooks.slack.example/services/T0/B0/secret-token',
      'it is not a URL (no https:// in front?)',
    ],
    [
      'a space in the host',
      'https://hooks slack/services/T0/B0/secret-token',
      'it has a space or a control character in it',
    ],
    [
      'another scheme',
      'ftp://hooks.slack.example/services/T0/B0/secret-token',
      'its scheme is "ftp:", not https:',
    ],
  ])('refuses a malformed webhook URL (%s) at once, without naming it', (_, url, problem) => {
    let error: unknown;
    try {
      createSlackSender(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SlackDeliveryError);
    expect(error).toMatchObject({ code: 'invalid_url', permanent: true });
    expect((error as Error).message).toBe(`the webhook URL is malformed: ${problem}`);
  });

  it('stops waiting at the deadline instead of sleeping past it', async () => {
    server = await startScriptedServer([{ status: 429, headers: { 'retry-after': '30' } }]);
    const { send, waits } = sender(`${server.url}/hook`);
    const error = await deliveryFailure(send.send(message, { deadline: 5000 }));
    expect(error).toMatchObject({ code: 'deadline', permanent: false });
    expect(waits).toEqual([]);
  });

  it('paces sends a little under the configured rate', async () => {
    server = await startScriptedServer([{ status: 200 }]);
    const { send, waits } = sender(`${server.url}/hook`, { ratePerSecond: 2, burst: 1 });
    for (let i = 0; i < 3; i++) await send.send(message);
    expect(waits.map(Math.round)).toEqual([526, 526]);
  });

  it.each([
    ['dropped', [{ reset: true }] as const],
    ['silent', [{ hang: true }] as const],
    ['answering 500', [{ status: 500, body: 'secret-token' }] as const],
  ])('never puts the webhook URL in an error when the webhook is %s', async (_, script) => {
    server = await startScriptedServer([...script]);
    const url = `${server.url}/services/T000/B000/secret-token`;
    const error = await deliveryFailure(sender(url, { maxAttempts: 1, timeoutMs: 200 }).send.send(message));
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain('secret-token');
  });

  it('never puts the webhook URL in an error when the host cannot be found', async () => {
    // .invalid never resolves (RFC 6761); the lookup fails fast and offline.
    const url = 'https://hooks.slack.invalid/services/T000/B000/secret-token';
    const error = await deliveryFailure(sender(url, { maxAttempts: 1 }).send.send(message));
    expect(error).toMatchObject({ ambiguous: false });
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain('secret-token');
  });

  it('counts the sends its pace lets start before a given time', async () => {
    server = await startScriptedServer([{ status: 200 }]);
    let clock = 0;
    const { send } = sender(`${server.url}/hook`, { ratePerSecond: 1, now: () => clock });
    const interval = 1000 / 0.95;
    expect(send.capacityUntil(0)).toBe(1);
    expect(send.capacityUntil(3 * interval)).toBe(4);
    await send.send(message);
    clock = 10;
    expect(send.capacityUntil(interval - 1)).toBe(0);
    expect(send.capacityUntil(3 * interval)).toBe(3);
  });
});

describe('createSlackSender when the webhook redirects or the request never leaves', () => {
  it.each([301, 302, 303, 307, 308])(
    'fails at once, permanently and not ambiguously, on a %i redirect: nothing was posted',
    async (status) => {
      server = await startScriptedServer([{ status, headers: { location: 'https://example.com/' } }]);
      const error = await deliveryFailure(sender(`${server.url}/hook`).send.send(message));
      expect(error).toMatchObject({ code: 'redirect', permanent: true, ambiguous: false, status });
      expect(error.message).toContain('nothing was posted');
      expect(server.requests).toHaveLength(1);
    },
  );

  it('refuses a port fetch refuses at once, before any request', () => {
    expect(() => createSlackSender('http://127.0.0.1:6000/services/T0/B0/secret-token')).toThrow(
      'the webhook URL is malformed: its port 6000 is one fetch refuses to connect to',
    );
  });

  it('counts a request fetch refused before sending as a permanent failure, not a dropped connection', () => {
    const refused = new TypeError('fetch failed', { cause: new Error('bad port') });
    expect(toDeliveryError(refused)).toMatchObject({
      code: 'invalid_url',
      permanent: true,
      ambiguous: false,
    });
  });

  it('refuses a URL with a user name and password in it, never repeating them', () => {
    expect(() => createSlackSender('https://user:hunter2@hooks.slack.com/services/T0/B0/x')).toThrow(
      /user name or password/,
    );
    expect(() => createSlackSender('https://user:hunter2@hooks.slack.com/services/T0/B0/x')).not.toThrow(
      /hunter2/,
    );
  });
});
