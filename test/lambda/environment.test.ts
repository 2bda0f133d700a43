import { describe, expect, it } from 'vitest';
import { readEnvironment } from '../../lambda/environment.js';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-AbCdEf';

describe('readEnvironment', () => {
  it('takes the webhook from the secret named in SLACK_WEBHOOK_SECRET_ARN', () => {
    const env = readEnvironment({ NOTIFIER_CONFIG: '{}', SLACK_WEBHOOK_SECRET_ARN: SECRET });
    expect(env.webhook).toEqual({ secretArn: SECRET });
    expect(env.slackRatePerSecond).toBe(1);
  });

  it('lets SLACK_WEBHOOK_URL point a deployed configuration at a local Slack', () => {
    const env = readEnvironment({
      NOTIFIER_CONFIG: JSON.stringify({ slackWebhookSecretArn: SECRET }),
      SLACK_WEBHOOK_URL: 'http://127.0.0.1:8082/hook',
    });
    expect(env.webhook).toEqual({ url: 'http://127.0.0.1:8082/hook' });
  });

  it("falls back to the configuration's secret", () => {
    const env = readEnvironment({ NOTIFIER_CONFIG: JSON.stringify({ slackWebhookSecretArn: SECRET }) });
    expect(env.webhook).toEqual({ secretArn: SECRET });
  });

  it.each([
    [{}, 'NOTIFIER_CONFIG is not set'],
    [{ NOTIFIER_CONFIG: '{' }, 'NOTIFIER_CONFIG is not valid JSON'],
    [{ NOTIFIER_CONFIG: '{}' }, 'set SLACK_WEBHOOK_SECRET_ARN (or SLACK_WEBHOOK_URL for local runs)'],
    [
      { NOTIFIER_CONFIG: '{"digestThreshold":0}', SLACK_WEBHOOK_URL: 'http://x' },
      'NOTIFIER_CONFIG.digestThreshold',
    ],
    [
      { NOTIFIER_CONFIG: '{}', SLACK_WEBHOOK_URL: 'http://x', SLACK_RATE_PER_SECOND: 'fast' },
      'SLACK_RATE_PER_SECOND',
    ],
  ])('fails at cold start naming the variable for %j', (env, message) => {
    expect(() => readEnvironment(env)).toThrow(message);
  });
});
