import { fetchWebhookUrl } from './adapters/secrets.js';
import { createSlackSender, type SlackSender, type SlackSenderOptions } from './adapters/slack.js';
import type { WebhookSource } from './environment.js';

/**
 * A route's sender from where its webhook URL comes from: its secret (read through Powertools'
 * cache) or the URL itself. One sender per URL for the life of the instance, so routes sharing a
 * webhook share its pace. A secret that cannot be read throws, naming the secret (never its value).
 */
export function webhookSenders(
  webhooks: ReadonlyMap<string, WebhookSource>,
  options: SlackSenderOptions = {},
): (route: string) => Promise<SlackSender | undefined> {
  const senders = new Map<string, SlackSender>();
  return async (route) => {
    const source = webhooks.get(route);
    if (!source) return undefined;
    const url = 'url' in source ? source.url : await fetchWebhookUrl(source.secretArn);
    let sender = senders.get(url);
    if (!sender) {
      sender = createSlackSender(url, options);
      senders.set(url, sender);
    }
    return sender;
  };
}
