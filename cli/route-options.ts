import type { SlackRetry, SlackSender } from '../lambda/adapters/slack.js';
import type { SlackApiClient } from '../lambda/adapters/slack-api.js';
import { botTokenProblem, webhookUrlProblem } from '../lambda/adapters/slack-errors.js';
import type { NotifierConfig } from '../lambda/domain/config/config.js';
import { CHANNEL_ID, channelIdProblem } from '../lambda/domain/config/slack-channel.js';
import { DEFAULT_ROUTE } from '../lambda/domain/delivery/routes.js';
import { UsageError } from './command.js';
import { shown } from './visible-text.js';

const ROUTE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Where a replay posts a route's messages: a webhook, or a channel through the Web API (app mode). */
export type ReplayDestination = { url: string } | { channel: string };

/** Refuses a webhook URL given as `option`, saying what is wrong with it, never the URL. */
export function checkUrlOption(option: string, url: string): void {
  const problem = webhookUrlProblem(url);
  if (problem) throw new UsageError(`${option}: the webhook URL is malformed: ${problem}`);
}

/** Refuses a bot token given as `option`, saying what is wrong with it, never the token. */
export function checkTokenOption(option: string, token: string): void {
  const problem = botTokenProblem(token);
  if (problem) throw new UsageError(`${option}: the Slack bot token is malformed: ${problem}`);
}

/** Refuses a channel ID given as `option`, saying what is wrong with it. */
export function checkChannelOption(option: string, channel: string): void {
  const problem = channelIdProblem(channel);
  if (problem) throw new UsageError(`${option}: ${problem}`);
}

/**
 * A `--route` value by its shape: a channel ID (`C0123…`), else a webhook URL. A bad one is a
 * usage error saying what is wrong, never repeating a URL.
 */
function destinationOf(option: string, value: string): ReplayDestination {
  if (CHANNEL_ID.test(value)) return { channel: value };
  // Neither a URL nor a path: a channel's name, or a mistyped ID.
  if (!value.includes('/') && !value.includes(':')) {
    checkChannelOption(option, value);
  }
  checkUrlOption(option, value);
  return { url: value };
}

/**
 * `--route NAME=URL` and `--route NAME=CHANNEL` options as a map; a bad one is a usage error
 * naming the option by its route name (or its place) and what is wrong, never repeating the URL.
 */
export function parseRouteOptions(options: readonly string[]): Map<string, ReplayDestination> {
  const routes = new Map<string, ReplayDestination>();
  for (const [i, option] of options.entries()) {
    const at = option.indexOf('=');
    const name = option.slice(0, Math.max(0, at));
    if (at < 1 || !ROUTE_NAME.test(name)) {
      throw new UsageError(
        `--route (the ${ordinal(i + 1)} one) expects NAME=URL or NAME=CHANNEL, a route name of letters, digits, - and _ before the "="`,
      );
    }
    routes.set(name, destinationOf(`--route ${name}=…`, option.slice(at + 1)));
  }
  return routes;
}

export interface ReplaySenderOptions {
  /** `--route NAME=…`: a route's own webhook or channel; wins over the rest. */
  routes?: ReadonlyMap<string, ReplayDestination>;
  /** `--webhook-url` or `--channel`: every route's, unless `routes` names its own. */
  everyRoute?: ReplayDestination;
  /** `$SLACK_WEBHOOK_URL`: a route's when nothing above, nor its configured channel, names one. */
  fallbackUrl?: string;
  /** The bot token (`--slack-token`, `$SLACK_BOT_TOKEN`) and Web API URL channels are posted with. */
  slack?: { token: string; apiUrl?: string };
  onRetry?: (retry: SlackRetry) => void;
  /** Told once per route that has nowhere to post (its task stops are skipped). */
  warn?: (line: string) => void;
}

/**
 * Each route's destination in a replay that posts: its `--route`, else `--webhook-url` or
 * `--channel`, else its configured channel when there is a bot token, else `$SLACK_WEBHOOK_URL`.
 * A route with none is said once and left out. A channel without a bot token is a usage error.
 */
export function replayDestinations(
  config: Pick<NotifierConfig, 'routes' | 'slackChannel'>,
  options: ReplaySenderOptions,
): Map<string, ReplayDestination> {
  const configured = new Map<string, string | undefined>([
    [DEFAULT_ROUTE, config.slackChannel],
    ...config.routes.map((r) => [r.name, r.channel] as const),
  ]);
  for (const name of options.routes?.keys() ?? []) {
    if (!configured.has(name))
      throw new UsageError(
        `--route ${shown(name)}=…: the configuration has no route ${JSON.stringify(name)} (its routes: ${[...configured.keys()].join(', ')})`,
      );
  }
  const destinations = new Map<string, ReplayDestination>();
  for (const [name, channel] of configured) {
    const destination =
      options.routes?.get(name) ??
      options.everyRoute ??
      (channel && options.slack ? { channel } : undefined) ??
      (options.fallbackUrl ? { url: options.fallbackUrl } : undefined);
    if (destination && 'channel' in destination && !options.slack) {
      const option = options.routes?.has(name) ? `--route ${name}=…` : '--channel';
      throw new UsageError(
        `${option}: a channel is posted to with a bot token: pass --slack-token TOKEN or set SLACK_BOT_TOKEN`,
      );
    }
    if (destination) destinations.set(name, destination);
    else
      options.warn?.(
        channel
          ? `route ${name} posts to channel ${channel} in the configuration, but no bot token was given: its messages are skipped (pass --slack-token TOKEN, or --route ${name}=URL)`
          : `route ${name} has no webhook URL: its messages are skipped (pass --route ${name}=URL or --webhook-url URL)`,
      );
  }
  return destinations;
}

/**
 * The senders of a replay that posts ({@link replayDestinations}): one sender per webhook URL, so
 * routes sharing a webhook share its pace, and one Web API client for every channel, each channel
 * at its own pace.
 */
export async function replaySenders(
  config: Pick<NotifierConfig, 'routes' | 'slackChannel'>,
  options: ReplaySenderOptions,
): Promise<(route: string) => SlackSender | undefined> {
  const destinations = replayDestinations(config, options);
  const retry = options.onRetry ? { onRetry: options.onRetry } : {};
  const { createSlackSender } = await import('../lambda/adapters/slack.js');
  let client: SlackApiClient | undefined;
  if (options.slack && [...destinations.values()].some((d) => 'channel' in d)) {
    const { createSlackApiClient } = await import('../lambda/adapters/slack-api.js');
    const { token, apiUrl } = options.slack;
    client = createSlackApiClient(token, { ...(apiUrl ? { apiUrl } : {}), ...retry });
  }
  const webhooks = new Map<string, SlackSender>();
  const byRoute = new Map<string, SlackSender>();
  for (const [name, destination] of destinations) {
    if ('channel' in destination) {
      if (client) byRoute.set(name, client.sender(destination.channel));
      continue;
    }
    let sender = webhooks.get(destination.url);
    if (!sender) {
      sender = createSlackSender(destination.url, retry);
      webhooks.set(destination.url, sender);
    }
    byRoute.set(name, sender);
  }
  return (route) => byRoute.get(route);
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
