import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { NotifierError } from '../domain/errors.js';
import { describeError } from './aws.js';
import { botTokenProblem, checkWebhookUrl } from './slack-errors.js';

/** Thrown when a Slack secret cannot be read; the message never holds its value. */
export class SecretError extends NotifierError {}

/**
 * The Slack webhook URL from a Secrets Manager secret, cached for `maxAgeSeconds`. The secret is
 * either the URL itself or JSON with a `url` key.
 */
export async function fetchWebhookUrl(secretArn: string, maxAgeSeconds = 300): Promise<string> {
  return webhookUrlFromSecret(await readSecret(secretArn, maxAgeSeconds), secretArn);
}

/**
 * The Slack app's bot token from a Secrets Manager secret, cached for `maxAgeSeconds`. The secret
 * is either the token itself (`xoxb-…`) or JSON with a `token` key.
 */
export async function fetchBotToken(secretArn: string, maxAgeSeconds = 300): Promise<string> {
  return botTokenFromSecret(await readSecret(secretArn, maxAgeSeconds), secretArn);
}

async function readSecret(secretArn: string, maxAgeSeconds: number): Promise<unknown> {
  try {
    return await getSecret(secretArn, { maxAge: maxAgeSeconds });
  } catch (error) {
    // Powertools wraps the SDK's error (ResourceNotFoundException, AccessDeniedException…) as its cause.
    throw new SecretError(
      `could not read secret ${secretArn}: ${describeError((error as Error).cause ?? error)}`,
    );
  }
}

/** A secret's value itself, or the string under `key` when it holds JSON; `undefined` otherwise. */
function secretText(value: unknown, key: string): string | undefined {
  const text = typeof value === 'string' ? value.trim() : undefined;
  if (!text?.startsWith('{')) return text || undefined;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return typeof parsed[key] === 'string' ? parsed[key] : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the URL out of a secret's value (a plain string or `{"url": "…"}`). */
export function webhookUrlFromSecret(value: unknown, secretArn: string): string {
  const url = secretText(value, 'url');
  if (!url) {
    throw new SecretError(
      `secret ${secretArn} holds no webhook URL (expected the URL, or JSON with a "url" key)`,
    );
  }
  try {
    checkWebhookUrl(url);
  } catch (error) {
    throw new SecretError(`secret ${secretArn}: ${(error as Error).message}`);
  }
  return url;
}

/** Reads the bot token out of a secret's value (a plain string or `{"token": "xoxb-…"}`). */
export function botTokenFromSecret(value: unknown, secretArn: string): string {
  const token = secretText(value, 'token');
  if (!token) {
    throw new SecretError(
      `secret ${secretArn} holds no Slack bot token (expected the token, or JSON with a "token" key)`,
    );
  }
  const problem = botTokenProblem(token);
  if (problem) throw new SecretError(`secret ${secretArn}: the Slack bot token is malformed: ${problem}`);
  return token;
}
