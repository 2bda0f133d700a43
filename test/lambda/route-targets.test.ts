import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEnvironment } from '../../lambda/environment.js';
import { routeTargets } from '../../lambda/route-targets.js';
import { AWS_TEST_ENV } from '../support/handler-harness.js';
import { type ScriptedServer, startScriptedServer } from '../support/scripted-server.js';

const DEFAULT = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-AbCdEf';
const ALERTS = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:alerts-XyZ123';
const LOG = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:log-Qw3rTy';

/** The default secret answers last, the alerts one at once, and the log one does not exist. */
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

describe('routeTargets', () => {
  it('lists the routes in the configured order, whichever secret answered first, and fails a route alone', async () => {
    const env = readEnvironment({
      NOTIFIER_CONFIG: JSON.stringify({
        slackWebhookSecretArn: DEFAULT,
        digestThreshold: 7,
        routes: [
          { name: 'alerts', webhookSecretArn: ALERTS, digestThreshold: 3, match: { outcomes: ['failed'] } },
          { name: 'log', webhookSecretArn: LOG },
        ],
      }),
    });

    const targets = await routeTargets(env, { error: () => {} });

    expect([...targets.keys()]).toEqual(['default', 'alerts', 'log']);
    expect(targets.get('default')).toMatchObject({ digestThreshold: 7, sender: expect.any(Object) });
    expect(targets.get('alerts')).toMatchObject({ digestThreshold: 3, sender: expect.any(Object) });
    expect(targets.get('log')?.sender).toBeUndefined();
    expect(targets.get('log')?.failure).toBe(
      `could not read secret ${LOG}: ResourceNotFoundException (HTTP 400)`,
    );
  });
});
