import type { SlackRetry } from '../lambda/adapters/slack.js';
import type { NotifierConfig } from '../lambda/domain/config.js';
import { DEFAULT_ROUTE, routeSettings } from '../lambda/domain/routes.js';
import type { RouteTarget } from '../lambda/pipeline/deliver.js';
import { UsageError } from './command.js';

/** `--route NAME=URL` options as a map; a bad one is a usage error naming it. */
export function parseRouteOptions(options: readonly string[]): Map<string, string> {
  const urls = new Map<string, string>();
  for (const option of options) {
    const at = option.indexOf('=');
    const name = option.slice(0, at);
    const url = option.slice(at + 1);
    if (at < 1 || !/^https?:\/\/\S+$/.test(url))
      throw new UsageError(
        `--route expects NAME=URL with an http(s) URL, got ${JSON.stringify(option.slice(0, 80))}`,
      );
    urls.set(name, url);
  }
  return urls;
}

export interface ReplayRouteOptions {
  /** Every route's webhook unless `routeUrls` names its own; neither: a dry run. */
  webhookUrl?: string;
  routeUrls?: ReadonlyMap<string, string>;
  onRetry?: (retry: SlackRetry) => void;
  /** Told once per route that has no webhook in a live run (its task stops are skipped). */
  warn?: (line: string) => void;
}

/**
 * The targets of a replay: the default route and every configured route, each with its threshold
 * and mentions, and a sender when the run posts (one per webhook URL, so routes sharing a webhook
 * share its pace). Without URLs (a dry run) the targets have no sender: messages are built, not sent.
 */
export async function replayRoutes(
  config: Pick<NotifierConfig, 'routes' | 'digestThreshold'>,
  options: ReplayRouteOptions,
): Promise<Map<string, RouteTarget>> {
  const known = new Set([DEFAULT_ROUTE, ...config.routes.map((r) => r.name)]);
  for (const name of options.routeUrls?.keys() ?? []) {
    if (!known.has(name))
      throw new UsageError(
        `--route ${name}=…: the configuration has no route ${JSON.stringify(name)} (its routes: ${[...known].join(', ')})`,
      );
  }
  const live = Boolean(options.webhookUrl) || (options.routeUrls?.size ?? 0) > 0;
  const { createSlackSender } = live
    ? await import('../lambda/adapters/slack.js')
    : { createSlackSender: undefined };
  const senders = new Map<string, NonNullable<RouteTarget['sender']>>();
  const senderFor = (url: string) => {
    let sender = senders.get(url);
    if (!sender && createSlackSender) {
      sender = createSlackSender(url, options.onRetry ? { onRetry: options.onRetry } : {});
      senders.set(url, sender);
    }
    return sender;
  };
  const targets = new Map<string, RouteTarget>();
  for (const name of known) {
    const settings = routeSettings(name, config);
    if (!live) {
      targets.set(name, settings);
      continue;
    }
    const url = options.routeUrls?.get(name) ?? options.webhookUrl;
    const sender = url ? senderFor(url) : undefined;
    if (sender) targets.set(name, { ...settings, sender });
    else
      options.warn?.(
        `route ${name} has no webhook URL: its messages are skipped (pass --route ${name}=URL or --webhook-url URL)`,
      );
  }
  return targets;
}
