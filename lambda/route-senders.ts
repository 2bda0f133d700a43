import { fetchBotToken, fetchWebhookUrl } from './adapters/secrets.js';
import { createSlackSender, type SlackSender, type SlackSenderOptions } from './adapters/slack.js';
import { createSlackApiClient, type SlackApiClient, TIER_3_PER_SECOND } from './adapters/slack-api.js';
import type { RouteDestination } from './environment.js';

/**
 * A route's sender from where it posts: its webhook, the URL read from its secret (through
 * Powertools' cache) or given; or its channel, through the Web API with the bot token (app mode).
 * One sender per webhook URL and one client per token for the life of the instance, so routes
 * sharing a webhook share its pace, and routes sharing a channel share the channel's. A secret
 * that cannot be read throws, naming the secret (never its value).
 */
export function routeSenders(
  destinations: ReadonlyMap<string, RouteDestination>,
  options: SlackSenderOptions = {},
): (route: string) => Promise<SlackSender | undefined> {
  const webhooks = new Map<string, SlackSender>();
  const clients = new Map<string, SlackApiClient>();
  const rate = options.ratePerSecond ?? 1;
  return async (route) => {
    const destination = destinations.get(route);
    if (!destination) return undefined;
    if ('channel' in destination) {
      const { token: source, apiUrl } = destination;
      const token = 'token' in source ? source.token : await fetchBotToken(source.secretArn);
      const key = `${apiUrl ?? ''} ${token}`;
      let client = clients.get(key);
      if (!client) {
        client = createSlackApiClient(token, {
          ...(apiUrl ? { apiUrl } : {}),
          ratePerSecond: rate,
          // This instance's share of Tier 3, as its share of a channel's pace.
          methodRatePerSecond: rate * TIER_3_PER_SECOND,
          ...(options.onRetry ? { onRetry: options.onRetry } : {}),
        });
        clients.set(key, client);
      }
      return client.sender(destination.channel);
    }
    const url = 'url' in destination ? destination.url : await fetchWebhookUrl(destination.secretArn);
    let sender = webhooks.get(url);
    if (!sender) {
      sender = createSlackSender(url, options);
      webhooks.set(url, sender);
    }
    return sender;
  };
}
