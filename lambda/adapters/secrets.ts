import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { NotifierError } from '../domain/errors.js';
import { describeError } from './aws.js';
import { checkWebhookUrl } from './slack-errors.js';

/** Thrown when the webhook secret cannot be read; the message never holds its value. */
export class SecretError extends NotifierError {}

/**
 * The Slack webhook URL from a Secrets Manager secret, cached for `maxAgeSeconds`. The secret is
 * either the URL itself or JSON with a `url` key.
 */
export async function fetchWebhookUrl(secretArn: string, maxAgeSeconds = 300): Promise<string> {
  let value: unknown;
  try {
    value = await getSecret(secretArn, { maxAge: maxAgeSeconds });
  } catch (error) {
    // Powertools wraps the SDK's error (ResourceNotFoundException, AccessDeniedException…) as its cause.
    throw new SecretError(
      `could not read secret ${secretArn}: ${describeError((error as Error).cause ?? error)}`,
    );
  }
  return webhookUrlFromSecret(value, secretArn);
}

/** Reads the URL out of a secret's value (a plain string or `{"url": "…"}`). */
export function webhookUrlFromSecret(value: unknown, secretArn: string): string {
  let url = typeof value === 'string' ? value.trim() : undefined;
  if (url?.startsWith('{')) {
    try {
      const parsed = JSON.parse(url) as { url?: unknown };
      url = typeof parsed.url === 'string' ? parsed.url : undefined;
    } catch {
      url = undefined;
    }
  }
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
