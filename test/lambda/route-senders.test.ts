import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { routeSenders } from '../../lambda/route-senders.js';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import { AWS_TEST_ENV } from '../support/handler-harness.js';
import { type ScriptedServer, startScriptedServer } from '../support/scripted-server.js';

const DEFAULT = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-AbCdEf';
const ALERTS = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:alerts-XyZ123';
const LOG = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:log-Qw3rTy';
const BOT = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-bot-AsDfGh';
const BOT_TOKEN = 'xoxb-1111-2222-secretpart';

/** The default secret answers last, the alerts one at once (the same URL), and the log one does not exist. */
let secrets: ScriptedServer;
let sink: SlackSink;

beforeAll(async () => {
  sink = await startSlackSink({ tokens: [BOT_TOKEN] });
  secrets = await startScriptedServer(({ body }) => {
    const id = (JSON.parse(body || '{}') as { SecretId?: string }).SecretId;
    if (id === LOG)
      return { status: 400, body: JSON.stringify({ __type: 'ResourceNotFoundException', message: 'no' }) };
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({
        ARN: id,
        Name: 'slack',
        SecretString:
          id === BOT ? JSON.stringify({ token: BOT_TOKEN }) : 'https://hooks.slack.example/services/T0/B0/x',
      }),
      ...(id === DEFAULT ? { delayMs: 300 } : {}),
    };
  });
  for (const [key, value] of Object.entries({
    ...AWS_TEST_ENV,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
  }))
    vi.stubEnv(key, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await secrets.close();
  await sink.close();
});

describe('routeSenders', () => {
  const webhooks = new Map([
    ['default', { secretArn: DEFAULT }],
    ['alerts', { secretArn: ALERTS }],
    ['log', { secretArn: LOG }],
    ['local', { url: 'http://127.0.0.1:9/hook' }],
  ]);
  const channels = () =>
    new Map([
      ['oncall', { channel: 'C0ONCALL1', token: { secretArn: BOT }, apiUrl: sink.apiUrl }],
      ['batch', { channel: 'C0BATCH01', token: { secretArn: BOT }, apiUrl: sink.apiUrl }],
      ['oncall-too', { channel: 'C0ONCALL1', token: { secretArn: BOT }, apiUrl: sink.apiUrl }],
    ]);

  it('posts a route with a channel through the Web API, with the bot token read from its secret', async () => {
    const sender = await routeSenders(channels())('oncall');
    await sender?.send({ text: 'customer-import:7 failed' });
    expect(sink.messages().at(-1)).toMatchObject({
      channel: 'C0ONCALL1',
      payload: { text: 'customer-import:7 failed' },
    });
  });

  it('gives routes of one channel one sender, so they share its pace, and another channel its own', async () => {
    const senderFor = routeSenders(channels());
    const [oncall, again, batch] = await Promise.all([
      senderFor('oncall'),
      senderFor('oncall-too'),
      senderFor('batch'),
    ]);
    expect(again).toBe(oncall);
    expect(batch).not.toBe(oncall);
  });

  it('gives a route the sender of the URL in its secret, one sender per URL whatever the route', async () => {
    const senderFor = routeSenders(webhooks);
    const [byDefault, byAlerts] = await Promise.all([senderFor('default'), senderFor('alerts')]);
    expect(byDefault).toBeDefined();
    expect(byAlerts).toBe(byDefault);
  });

  it('names the secret, never its value, when it cannot be read', async () => {
    await expect(routeSenders(webhooks)('log')).rejects.toThrow(
      `could not read secret ${LOG}: ResourceNotFoundException (HTTP 400)`,
    );
  });

  it('has no sender for a route it was given no webhook for', async () => {
    expect(await routeSenders(webhooks)('nowhere')).toBeUndefined();
  });
});
