import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readEnvironment } from '../../lambda/environment.js';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-AbCdEf';
const ALERTS = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:alerts-XyZ123';
const TOKEN_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-bot-Qw3rTy';
const ROUTED = JSON.stringify({
  slackWebhookSecretArn: SECRET,
  routes: [{ name: 'alerts', webhookSecretArn: ALERTS, match: { outcomes: ['failed'] } }],
});

/** A configuration file as the stack bundles it next to the handler. */
function bundled(config: unknown): URL {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'notifier-config-')), 'notifier-config.json');
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return pathToFileURL(file);
}

describe('readEnvironment', () => {
  it('takes the default webhook from the secret named in SLACK_WEBHOOK_SECRET_ARN', () => {
    const env = readEnvironment({ NOTIFIER_CONFIG: '{}', SLACK_WEBHOOK_SECRET_ARN: SECRET });
    expect([...env.destinations]).toEqual([['default', { secretArn: SECRET }]]);
    expect(env.slackRatePerSecond).toBe(1);
  });

  it("takes each route's webhook from its own secret, beside the default one", () => {
    const env = readEnvironment({ NOTIFIER_CONFIG: ROUTED });
    expect([...env.destinations]).toEqual([
      ['default', { secretArn: SECRET }],
      ['alerts', { secretArn: ALERTS }],
    ]);
  });

  it('lets SLACK_WEBHOOK_URL point a deployed configuration, every route of it, at a local Slack', () => {
    const url = 'http://127.0.0.1:8082/hook';
    const env = readEnvironment({ NOTIFIER_CONFIG: ROUTED, SLACK_WEBHOOK_URL: url });
    expect([...env.destinations]).toEqual([
      ['default', { url }],
      ['alerts', { url }],
    ]);
  });

  it("falls back to the configuration's secret", () => {
    const env = readEnvironment({ NOTIFIER_CONFIG: JSON.stringify({ slackWebhookSecretArn: SECRET }) });
    expect(env.destinations.get('default')).toEqual({ secretArn: SECRET });
  });

  it('reads the configuration bundled with the function when NOTIFIER_CONFIG is not set', () => {
    const env = readEnvironment({}, bundled(ROUTED));
    expect(env.config.routes.map((r) => r.name)).toEqual(['alerts']);
  });

  it('lets NOTIFIER_CONFIG override the bundled configuration (local runs)', () => {
    const env = readEnvironment(
      { NOTIFIER_CONFIG: JSON.stringify({ slackWebhookSecretArn: SECRET }) },
      bundled(ROUTED),
    );
    expect(env.config.routes).toEqual([]);
  });

  it('names the bundled file when it is bad', () => {
    expect(() => readEnvironment({}, bundled({ digestThreshold: 0 }))).toThrow(
      'notifier-config.json.digestThreshold',
    );
    expect(() => readEnvironment({}, bundled('{'))).toThrow('notifier-config.json is not valid JSON');
  });

  it('posts a route with a channel through the Web API, with the token of slackBotTokenSecretArn', () => {
    const config = {
      slackBotTokenSecretArn: TOKEN_SECRET,
      slackChannel: 'C0DEFAULT1',
      routes: [
        { name: 'alerts', channel: 'C0ALERTS1' },
        { name: 'log', webhookSecretArn: ALERTS },
      ],
    };
    const env = readEnvironment({ NOTIFIER_CONFIG: JSON.stringify(config) });
    expect([...env.destinations]).toEqual([
      ['default', { channel: 'C0DEFAULT1', token: { secretArn: TOKEN_SECRET } }],
      ['alerts', { channel: 'C0ALERTS1', token: { secretArn: TOKEN_SECRET } }],
      ['log', { secretArn: ALERTS }],
    ]);
  });

  it('lets SLACK_BOT_TOKEN and SLACK_API_URL point the channels of a deployed configuration at a local Slack', () => {
    const config = {
      slackBotTokenSecretArn: TOKEN_SECRET,
      routes: [{ name: 'alerts', channel: 'C0ALERTS1' }],
    };
    const apiUrl = 'http://127.0.0.1:8172/api/';
    const env = readEnvironment({
      NOTIFIER_CONFIG: JSON.stringify(config),
      SLACK_BOT_TOKEN: 'xoxb-local',
      SLACK_API_URL: apiUrl,
    });
    expect(env.destinations.get('alerts')).toEqual({
      channel: 'C0ALERTS1',
      token: { token: 'xoxb-local' },
      apiUrl,
    });
  });

  it('sends a channel route to SLACK_WEBHOOK_URL too, when no bot token is set, as every other route', () => {
    const config = {
      slackBotTokenSecretArn: TOKEN_SECRET,
      routes: [{ name: 'alerts', channel: 'C0ALERTS1' }],
    };
    const url = 'http://127.0.0.1:8082/hook';
    const env = readEnvironment({ NOTIFIER_CONFIG: JSON.stringify(config), SLACK_WEBHOOK_URL: url });
    expect(env.destinations.get('alerts')).toEqual({ url });
  });

  it('names the key of a channel no bot token can post to', () => {
    const config = { routes: [{ name: 'alerts', channel: 'C0ALERTS1' }] };
    expect(() => readEnvironment({ NOTIFIER_CONFIG: JSON.stringify(config) })).toThrow(
      'routes[0].channel names a channel, but no bot token posts to it: configure slackBotTokenSecretArn (or set SLACK_BOT_TOKEN for local runs)',
    );
  });

  it.each([
    [{}, 'NOTIFIER_CONFIG is not set and no notifier-config.json came with the function'],
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
    expect(() => readEnvironment(env, new URL('file:///nonexistent/notifier-config.json'))).toThrow(message);
  });
});
