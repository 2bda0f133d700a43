import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSlackSender, SlackDeliveryError } from '../../lambda/adapters/slack.js';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';

const message = { text: 'hello' };
let sink: SlackSink;
beforeAll(async () => {
  sink = await startSlackSink();
});
afterAll(() => sink.close());
beforeEach(() => sink.setFailure(null));

async function sendError(status: number): Promise<SlackDeliveryError> {
  await fetch(`${sink.url}/_mode`, { method: 'POST', body: JSON.stringify({ status }) });
  const error = await createSlackSender(sink.hookUrl, { maxAttempts: 1 })
    .send(message)
    .catch((e: unknown) => e);
  if (!(error instanceof SlackDeliveryError))
    throw new Error(`expected a SlackDeliveryError, got ${String(error)}`);
  return error;
}

describe('Slack sink through the real sender', () => {
  it('accepts a post and lists it at /messages', async () => {
    await createSlackSender(sink.hookUrl).send({ text: 'listed' });

    const listed = (await (await fetch(`${sink.url}/messages`)).json()) as { payload: unknown }[];
    expect(listed.at(-1)?.payload).toEqual({ text: 'listed' });
  });

  it.each([
    [400, 'invalid_payload'],
    [404, 'no_service'],
    [410, 'channel_is_archived'],
  ])('answers %i %s, which the sender treats as permanent', async (status, code) => {
    const error = await sendError(status);

    expect(error).toMatchObject({ status, code, permanent: true });
  });

  it('answers 500, which the sender treats as worth retrying', async () => {
    const error = await sendError(500);

    expect(error).toMatchObject({ status: 500, permanent: false });
  });

  it('answers 429 with Retry-After, and the sender waits that long before retrying', async () => {
    await fetch(`${sink.url}/_mode`, {
      method: 'POST',
      body: JSON.stringify({ status: 429, retryAfter: 2, times: 1 }),
    });
    const waits: number[] = [];
    let clock = 1_000_000;
    const sender = createSlackSender(sink.hookUrl, {
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });

    await sender.send({ text: 'after the 429' });

    expect(waits).toContain(2000);
    expect(sink.messages().at(-1)?.payload).toEqual({ text: 'after the 429' });
  });

  it('answers a status chosen by ?status= on the post', async () => {
    const response = await fetch(`${sink.hookUrl}?status=410`, { method: 'POST', body: '{"text":"x"}' });

    expect([response.status, await response.text()]).toEqual([410, 'channel_is_archived']);
  });

  it('answers invalid_payload to a body that is not JSON', async () => {
    const response = await fetch(sink.hookUrl, { method: 'POST', body: 'text=hi' });

    expect([response.status, await response.text()]).toEqual([400, 'invalid_payload']);
  });
});

describe('Slack sink rate limit', () => {
  afterEach(() => vi.useRealTimers());

  it('answers 429 with Retry-After once more posts arrive in a second than its rate allows', async () => {
    // The sink's one-second window reads the clock: hold it still, so a slow run cannot let a
    // second pass between the posts, then move it on by exactly one second.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2024, 10, 5, 7, 0, 0));
    const limited = await startSlackSink({ ratePerSecond: 1 });
    try {
      const post = () => fetch(limited.hookUrl, { method: 'POST', body: '{"text":"x"}' });
      const first = await post();
      const second = await post();
      vi.setSystemTime(Date.UTC(2024, 10, 5, 7, 0, 1));
      const third = await post();

      expect([first.status, second.status, third.status]).toEqual([200, 429, 200]);
      expect(second.headers.get('retry-after')).toBe('1');
    } finally {
      await limited.close();
    }
  });
});
