import { afterEach, describe, expect, it } from 'vitest';
import { createSlackSender, SlackDeliveryError } from '../../../lambda/adapters/slack.js';
import { type ScriptedServer, startScriptedServer } from '../../support/scripted-server.js';

const message = { text: 'nightly-report:42 succeeded' };
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A sender whose waits are recorded instead of slept, so no test depends on the clock. */
function sender(url: string, options: Parameters<typeof createSlackSender>[1] = {}) {
  const waits: number[] = [];
  let clock = 0;
  const send = createSlackSender(url, {
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    timeoutMs: 1000,
    ratePerSecond: 1000,
    ...options,
  });
  return { send, waits };
}

async function failure(promise: Promise<unknown>): Promise<SlackDeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SlackDeliveryError))
    throw new Error(`expected a SlackDeliveryError, got ${String(error)}`);
  return error;
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

  it.each([
    [400, 'invalid_payload'],
    [403, 'action_prohibited'],
    [404, 'no_service'],
    [404, 'channel_not_found'],
    [410, 'channel_is_archived'],
  ])("fails a permanent %i %s at once, naming Slack's error", async (status, code) => {
    server = await startScriptedServer([{ status, body: code }]);
    const error = await failure(sender(`${server.url}/hook`).send.send(message));
    expect(error).toMatchObject({ code, permanent: true, status });
    expect(error.message).toBe(`Slack answered ${status} ${code}`);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a dropped connection, then reports it as a network error', async () => {
    server = await startScriptedServer([{ reset: true }]);
    const error = await failure(
      sender(`${server.url}/hook`, { maxAttempts: 3, backoffMs: 10 }).send.send(message),
    );
    expect(error).toMatchObject({ code: 'network_error', permanent: false });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up on a webhook that never answers after its timeout', async () => {
    server = await startScriptedServer([{ hang: true }]);
    const error = await failure(
      sender(`${server.url}/hook`, { maxAttempts: 1, timeoutMs: 200 }).send.send(message),
    );
    expect(error).toMatchObject({ code: 'timeout', permanent: false });
  });

  it('stops waiting at the deadline instead of sleeping past it', async () => {
    server = await startScriptedServer([{ status: 429, headers: { 'retry-after': '30' } }]);
    const { send, waits } = sender(`${server.url}/hook`);
    const error = await failure(send.send(message, { deadline: 5000 }));
    expect(error).toMatchObject({ code: 'deadline', permanent: false });
    expect(waits).toEqual([]);
  });

  it('paces sends a little under the configured rate', async () => {
    server = await startScriptedServer([{ status: 200 }]);
    const { send, waits } = sender(`${server.url}/hook`, { ratePerSecond: 2, burst: 1 });
    for (let i = 0; i < 3; i++) await send.send(message);
    expect(waits.map(Math.round)).toEqual([526, 526]);
  });

  it('never puts the webhook URL in an error', async () => {
    server = await startScriptedServer([{ reset: true }]);
    const url = `${server.url}/services/T000/B000/secret-token`;
    const error = await failure(sender(url, { maxAttempts: 1 }).send.send(message));
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain('secret-token');
  });
});
