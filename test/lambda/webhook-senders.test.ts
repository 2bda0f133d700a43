import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { webhookSenders } from '../../lambda/webhook-senders.js';
import { AWS_TEST_ENV } from '../support/handler-harness.js';
import { type ScriptedServer, startScriptedServer } from '../support/scripted-server.js';

const DEFAULT = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-AbCdEf';
const ALERTS = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:alerts-XyZ123';
const LOG = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:log-Qw3rTy';

/** The default secret answers last, the alerts one at once (the same URL), and the log one does not exist. */
let secrets: ScriptedServer;

beforeAll(async () => {
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
        SecretString: 'https://hooks.slack.example/services/T0/B0/x',
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
});

describe('webhookSenders', () => {
  const webhooks = new Map([
    ['default', { secretArn: DEFAULT }],
    ['alerts', { secretArn: ALERTS }],
    ['log', { secretArn: LOG }],
    ['local', { url: 'http://127.0.0.1:9/hook' }],
  ]);

  it('gives a route the sender of the URL in its secret, one sender per URL whatever the route', async () => {
    const senderFor = webhookSenders(webhooks);
    const [byDefault, byAlerts] = await Promise.all([senderFor('default'), senderFor('alerts')]);
    expect(byDefault).toBeDefined();
    expect(byAlerts).toBe(byDefault);
  });

  it('names the secret, never its value, when it cannot be read', async () => {
    await expect(webhookSenders(webhooks)('log')).rejects.toThrow(
      `could not read secret ${LOG}: ResourceNotFoundException (HTTP 400)`,
    );
  });

  it('has no sender for a route it was given no webhook for', async () => {
    expect(await webhookSenders(webhooks)('nowhere')).toBeUndefined();
  });
});
