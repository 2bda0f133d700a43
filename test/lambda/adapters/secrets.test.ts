import { describe, expect, it } from 'vitest';
import { botTokenFromSecret, SecretError, webhookUrlFromSecret } from '../../../lambda/adapters/secrets.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecs-task-notifier/slack-webhook-AbCdEf';
const URL = 'https://hooks.slack.example/services/T000/B000/secret-token';

function problem(value: unknown): string {
  try {
    webhookUrlFromSecret(value, ARN);
  } catch (error) {
    expect(error).toBeInstanceOf(SecretError);
    return (error as Error).message;
  }
  throw new Error('expected a SecretError');
}

describe('webhookUrlFromSecret', () => {
  it('reads a secret holding the URL itself, trimmed', () => {
    expect(webhookUrlFromSecret(`  ${URL}\n`, ARN)).toBe(URL);
  });

  it('reads a secret holding JSON with a "url" key', () => {
    expect(webhookUrlFromSecret(JSON.stringify({ url: URL, team: 'data' }), ARN)).toBe(URL);
  });

  it.each([
    ['JSON without a url key', JSON.stringify({ webhook: URL })],
    ['JSON that does not parse', '{"url": '],
    ['an empty secret', ''],
    ['a binary secret', new Uint8Array([1, 2, 3])],
  ])('refuses %s, naming the secret', (_, value) => {
    expect(problem(value)).toBe(
      `secret ${ARN} holds no webhook URL (expected the URL, or JSON with a "url" key)`,
    );
  });

  it('refuses a malformed URL, naming the secret but never the URL', () => {
    const message = problem('https://hooks slack/services/T000/B000/secret-token');
    expect(message).toBe(
      `secret ${ARN}: the webhook URL is malformed: it has a space or a control character in it`,
    );
    expect(message).not.toContain('secret-token');
  });
});

describe('botTokenFromSecret', () => {
  const TOKEN = 'xoxb-1111-2222-secretpart';
  const problemOf = (value: unknown) => {
    try {
      botTokenFromSecret(value, ARN);
    } catch (error) {
      expect(error).toBeInstanceOf(SecretError);
      return (error as Error).message;
    }
    throw new Error('expected a SecretError');
  };

  it('reads a secret holding the token itself, trimmed, or JSON with a "token" key', () => {
    expect(botTokenFromSecret(`${TOKEN}\n`, ARN)).toBe(TOKEN);
    expect(botTokenFromSecret(JSON.stringify({ token: TOKEN, signingSecret: 'x' }), ARN)).toBe(TOKEN);
  });

  it.each([
    ['JSON without a token key', JSON.stringify({ botToken: TOKEN })],
    ['an empty secret', ''],
    ['a binary secret', new Uint8Array([1, 2, 3])],
  ])('refuses %s, naming the secret', (_, value) => {
    expect(problemOf(value)).toBe(
      `secret ${ARN} holds no Slack bot token (expected the token, or JSON with a "token" key)`,
    );
  });

  it('refuses a token that is not a bot token, never repeating it', () => {
    const message = problemOf('xapp-1-A000-secretpart');
    expect(message).toContain(`secret ${ARN}: the Slack bot token is malformed: it is an app-level token`);
    expect(message).not.toContain('secretpart');
  });
});
