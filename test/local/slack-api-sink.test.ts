import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApiClient, type SlackApiOptions } from '../../lambda/adapters/slack-api.js';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import { deliveryFailure } from '../support/delivery-failure.js';

const TOKEN = 'xoxb-1111-2222-sinktoken';
const card = (text: string) => ({
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } }],
});
let sink: SlackSink;
let strict: SlackSink;

beforeAll(async () => {
  sink = await startSlackSink();
  strict = await startSlackSink({ tokens: [TOKEN], channels: ['C0ALERTS1'] });
});
afterAll(async () => {
  await sink.close();
  await strict.close();
});
afterEach(() => {
  sink.setFailure(null);
  strict.setFailure(null);
});

/** The real client against a sink, its waits recorded instead of slept. */
function client(target: SlackSink = sink, options: SlackApiOptions = {}) {
  const waits: number[] = [];
  const api = createSlackApiClient(TOKEN, {
    apiUrl: target.apiUrl,
    ratePerSecond: 1000,
    methodRatePerSecond: 1000,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
  return { api, waits };
}

const latest = (s: SlackSink = sink) => s.messages().at(-1);
const page = async (query = '') => (await fetch(`${sink.url}/${query}`)).text();

describe('the sink as Slack Web API, through the real client', () => {
  it("takes chat.postMessage and answers the channel and a ts like Slack's", async () => {
    const at = await client().api.postMessage('C0ALERTS1', card('posted'));
    expect(at.channel).toBe('C0ALERTS1');
    expect(at.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(latest()).toMatchObject({ channel: 'C0ALERTS1', ts: at.ts, payload: card('posted') });
  });

  it('gives every message its own ts, rising', async () => {
    const { api } = client();
    const [a, b, c] = await Promise.all([1, 2, 3].map((i) => api.postMessage(`C0RISE00${i}`, card(`${i}`))));
    expect(new Set([a?.ts, b?.ts, c?.ts]).size).toBe(3);
    expect(Number(a?.ts)).toBeLessThan(Number(b?.ts));
  });

  it('takes a JSON body too, as Slack does', async () => {
    const response = await fetch(`${sink.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0JSON001', ...card('as json') }),
    });
    expect(await response.json()).toMatchObject({
      ok: true,
      channel: 'C0JSON001',
      message: { text: 'as json' },
    });
  });

  it('answers not_authed without a token, and invalid_auth for a token it does not know', async () => {
    const bare = await fetch(`${sink.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channel=C0ALERTS1&text=hi',
    });
    expect([bare.status, await bare.json()]).toEqual([200, { ok: false, error: 'not_authed' }]);
    const other = createSlackApiClient('xoxb-9-9-other', { apiUrl: strict.apiUrl });
    const error = await deliveryFailure(other.postMessage('C0ALERTS1', card('x')));
    expect(error).toMatchObject({ code: 'invalid_auth', permanent: true });
  });

  it('answers channel_not_found for a channel it does not know, or a name instead of an ID', async () => {
    const { api } = client(strict);
    expect(await deliveryFailure(api.postMessage('C0NOWHERE', card('x')))).toMatchObject({
      code: 'channel_not_found',
    });
    const response = await fetch(`${sink.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: '#alerts', text: 'x' }),
    });
    expect(await response.json()).toEqual({ ok: false, error: 'channel_not_found' });
  });

  it('updates a message in place with chat.update, marking it edited', async () => {
    const { api } = client();
    const at = await api.postMessage('C0UPDATE1', card('3 stops'));
    await api.update('C0UPDATE1', at.ts, card('7 stops'));
    const message = sink.messages().find((m) => m.ts === at.ts);
    expect(message).toMatchObject({ payload: card('7 stops'), edits: 1, editedAt: expect.any(String) });
    const html = await page('?channel=C0UPDATE1');
    expect(html).toContain('7 stops');
    expect(html).not.toContain('3 stops');
    expect(html).toContain('(edited)');
  });

  it('answers message_not_found to an update of a ts it never gave', async () => {
    const error = await deliveryFailure(client().api.update('C0UPDATE1', '1000000000.000001', card('x')));
    expect(error).toMatchObject({ code: 'message_not_found', permanent: true });
  });

  it('keeps thread replies under their parent, on the page and in conversations.replies', async () => {
    const { api } = client();
    const parent = await api.postMessage('C0THREAD1', card('customer-import failed'));
    const reply = await api.postMessage('C0THREAD1', card('log tail'), { threadTs: parent.ts });
    // A reply to a reply goes to the thread's parent, as in Slack.
    await api.postMessage('C0THREAD1', card('failed again'), { threadTs: reply.ts });
    expect(latest()).toMatchObject({ channel: 'C0THREAD1', threadTs: parent.ts });
    const thread = await api.replies('C0THREAD1', parent.ts);
    expect(thread.map((m) => m.text)).toEqual(['customer-import failed', 'log tail', 'failed again']);
    expect(thread[0]?.replyCount).toBe(2);
    const html = await page('?channel=C0THREAD1');
    expect(html.match(/<article class="msg">/g)).toHaveLength(1);
    expect(html).toContain('<summary>2 replies</summary>');
    expect(html.indexOf('customer-import failed')).toBeLessThan(html.indexOf('log tail'));
  });

  it('answers thread_not_found to a reply to a message it never gave', async () => {
    const error = await deliveryFailure(
      client().api.postMessage('C0THREAD1', card('x'), { threadTs: '1000000000.000001' }),
    );
    expect(error).toMatchObject({ code: 'thread_not_found', permanent: true });
  });

  it('answers ratelimited with Retry-After when /_mode says 429, and the client waits it out', async () => {
    await fetch(`${sink.url}/_mode`, {
      method: 'POST',
      body: JSON.stringify({ status: 429, retryAfter: 2 }),
    });
    const { api, waits } = client();
    await api.postMessage('C0ALERTS1', card('after the 429'));
    expect(waits).toContain(2000);
    expect(latest()?.payload).toEqual(card('after the 429'));
  });

  it('answers a Slack error code /_mode names, to the Web API and to a webhook alike', async () => {
    await fetch(`${sink.url}/_mode`, {
      method: 'POST',
      body: JSON.stringify({ error: 'is_archived', times: 2 }),
    });
    expect(await deliveryFailure(client().api.postMessage('C0ALERTS1', card('x')))).toMatchObject({
      code: 'is_archived',
    });
    const hook = await fetch(sink.hookUrl, { method: 'POST', body: JSON.stringify({ text: 'x' }) });
    expect([hook.status, await hook.text()]).toEqual([400, 'is_archived']);
  });

  it('limits posts per channel: a second post in a second waits, another channel does not', async () => {
    const limited = await startSlackSink({ ratePerSecond: 1 });
    try {
      const again = (channel: string) =>
        fetch(`${limited.apiUrl}chat.postMessage`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ channel, text: 'x' }),
        });
      expect((await again('C0FIRST01')).status).toBe(200);
      const over = await again('C0FIRST01');
      expect([over.status, over.headers.get('retry-after'), await over.json()]).toEqual([
        429,
        '1',
        { ok: false, error: 'ratelimited' },
      ]);
      expect((await again('C0SECOND1')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('counts top-level posts, thread replies and updates at /_stats', async () => {
    const counted = await startSlackSink();
    try {
      const api = createSlackApiClient(TOKEN, {
        apiUrl: counted.apiUrl,
        ratePerSecond: 1000,
        methodRatePerSecond: 1000,
      });
      const parent = await api.postMessage('C0STATS01', card('digest'));
      await api.update('C0STATS01', parent.ts, card('digest, 2'));
      await api.update('C0STATS01', parent.ts, card('digest, 3'));
      await api.postMessage('C0STATS01', card('again'), { threadTs: parent.ts });
      await fetch(counted.hookUrl, { method: 'POST', body: JSON.stringify({ text: 'webhook' }) });
      const stats = await (await fetch(`${counted.url}/_stats`)).json();
      expect(stats).toMatchObject({ received: 3, topLevel: 2, replies: 1, updates: 2 });
    } finally {
      await counted.close();
    }
  });

  it('answers unknown_method to a method it does not have', async () => {
    const response = await fetch(`${sink.apiUrl}chat.delete`, { method: 'POST', body: '' });
    expect(await response.json()).toEqual({ ok: false, error: 'unknown_method' });
  });
});

describe('the sink page with channels', () => {
  it('lists each channel on the side and shows one channel alone when asked', async () => {
    await client().api.postMessage('C0PAGEONE', card('in page one'));
    await client().api.postMessage('C0PAGETWO', card('in page two'));
    const all = await page();
    expect(all).toContain('<a href="?channel=C0PAGEONE">#C0PAGEONE</a>');
    expect(all).toContain('in page one');
    expect(all).toContain('in page two');
    const one = await page('?channel=C0PAGEONE');
    expect(one).toContain('<a href="?channel=C0PAGEONE" class="on">#C0PAGEONE</a>');
    expect(one).toContain('in page one');
    expect(one).not.toContain('in page two');
  });
});
