import type { SlackRetry, SlackSender } from '../lambda/adapters/slack.js';
import { webhookUrlProblem } from '../lambda/adapters/slack-errors.js';
import type { NotifierConfig } from '../lambda/domain/config/config.js';
import { DEFAULT_ROUTE } from '../lambda/domain/delivery/routes.js';
import { UsageError } from './command.js';
import { shown } from './visible-text.js';

const ROUTE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Refuses a webhook URL given as `option`, saying what is wrong with it, never the URL. */
export function checkUrlOption(option: string, url: string): void {
  const problem = webhookUrlProblem(url);
  if (problem) throw new UsageError(`${option}: the webhook URL is malformed: ${problem}`);
}

/**
 * `--route NAME=URL` options as a map; a bad one is a usage error naming the option by its route
 * name (or its place) and what is wrong, never repeating the URL.
 */
export function parseRouteOptions(options: readonly string[]): Map<string, string> {
  const urls = new Map<string, string>();
  for (const [i, option] of options.entries()) {
    const at = option.indexOf('=');
    const name = option.slice(0, Math.max(0, at));
    if (at < 1 || !ROUTE_NAME.test(name)) {
      throw new UsageError(
        `--route (the ${ordinal(i + 1)} one) expects NAME=URL, a route name of letters, digits, - and _ before the "="`,
      );
    }
    checkUrlOption(`--route ${name}=…`, option.slice(at + 1));
    urls.set(name, option.slice(at + 1));
  }
  return urls;
}

export interface ReplaySenderOptions {
  /** Every route's webhook unless `routeUrls` names its own. */
  webhookUrl?: string;
  routeUrls?: ReadonlyMap<string, string>;
  onRetry?: (retry: SlackRetry) => void;
  /** Told once per route that has no webhook (its task stops are skipped). */
  warn?: (line: string) => void;
}

/**
 * The senders of a replay that posts: each route's own `--route` URL, else `--webhook-url`; one
 * sender per URL, so routes sharing a webhook share its pace. A route with neither is said once
 * and has no sender (its task stops are skipped, naming it).
 */
export async function replaySenders(
  config: Pick<NotifierConfig, 'routes'>,
  options: ReplaySenderOptions,
): Promise<(route: string) => SlackSender | undefined> {
  const known = new Set([DEFAULT_ROUTE, ...config.routes.map((r) => r.name)]);
  for (const name of options.routeUrls?.keys() ?? []) {
    if (!known.has(name))
      throw new UsageError(
        `--route ${shown(name)}=…: the configuration has no route ${JSON.stringify(name)} (its routes: ${[...known].join(', ')})`,
      );
  }
  const { createSlackSender } = await import('../lambda/adapters/slack.js');
  const senders = new Map<string, SlackSender>();
  const byRoute = new Map<string, SlackSender>();
  for (const name of known) {
    const url = options.routeUrls?.get(name) ?? options.webhookUrl;
    if (!url) {
      options.warn?.(
        `route ${name} has no webhook URL: its messages are skipped (pass --route ${name}=URL or --webhook-url URL)`,
      );
      continue;
    }
    let sender = senders.get(url);
    if (!sender) {
      sender = createSlackSender(url, options.onRetry ? { onRetry: options.onRetry } : {});
      senders.set(url, sender);
    }
    byRoute.set(name, sender);
  }
  return (route) => byRoute.get(route);
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
