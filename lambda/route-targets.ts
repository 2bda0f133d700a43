import type { Logger } from '@aws-lambda-powertools/logger';
import { fetchWebhookUrl } from './adapters/secrets.js';
import { createSlackSender, type SlackSender } from './adapters/slack.js';
import { routeSettings } from './domain/routes.js';
import type { LambdaEnvironment } from './environment.js';
import type { RouteTarget } from './pipeline/deliver.js';

/** One sender per webhook URL for the life of the instance: routes sharing a webhook share its pace. */
const senders = new Map<string, SlackSender>();

/**
 * Every route's target for this invocation: its webhook (read from its secret, cached by
 * Powertools), threshold and mentions. A secret that cannot be read fails that route alone: its
 * task stops go back to the queue, the other routes send.
 */
export async function routeTargets(
  env: LambdaEnvironment,
  logger: Pick<Logger, 'error'>,
): Promise<Map<string, RouteTarget>> {
  // Built from the answers in the environment's order (the default route, then the configured
  // ones), whichever secret came back first: delivery lists routes in this order.
  const entries = await Promise.all(
    [...env.webhooks].map(async ([name, source]): Promise<[string, RouteTarget]> => {
      const settings = routeSettings(name, env.config);
      try {
        const url = 'url' in source ? source.url : await fetchWebhookUrl(source.secretArn);
        return [name, { ...settings, sender: senderFor(url, env.slackRatePerSecond) }];
      } catch (error) {
        logger.error('route webhook unavailable', { route: name, error: (error as Error).message });
        return [name, { ...settings, failure: (error as Error).message }];
      }
    }),
  );
  return new Map(entries);
}

function senderFor(url: string, ratePerSecond: number): SlackSender {
  let sender = senders.get(url);
  if (!sender) {
    sender = createSlackSender(url, { ratePerSecond });
    senders.set(url, sender);
  }
  return sender;
}
