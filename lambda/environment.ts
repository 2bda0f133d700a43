import { readFileSync } from 'node:fs';
import { type NotifierConfig, parseNotifierConfig } from './domain/config/config.js';
import { ValidationError } from './domain/config/validation.js';
import { DEFAULT_ROUTE } from './domain/delivery/routes.js';
import { NotifierError } from './domain/errors.js';

/** Where a bot token comes from: a secret (deployed) or the token itself (local runs only). */
export type TokenSource = { secretArn: string } | { token: string };

/**
 * Where a route posts: a webhook, its URL from a secret (deployed) or given (local runs only); or
 * a channel by ID through the Web API, with the bot token (app mode).
 */
export type RouteDestination =
  | { secretArn: string }
  | { url: string }
  | { channel: string; token: TokenSource; apiUrl?: string };

/** The Lambda's environment, read and validated once at cold start. */
export interface LambdaEnvironment {
  config: NotifierConfig;
  /** Where each route posts, by route name; `default` is the top-level one, when there is one. */
  destinations: ReadonlyMap<string, RouteDestination>;
  /** Slack messages per second per webhook, or per channel in app mode. */
  slackRatePerSecond: number;
  /** DynamoDB table for idempotency records; without it, an in-memory store (local runs). */
  idempotencyTable?: string;
  /** The event queue, where failed records are held back for growing waits; without it, they are not. */
  queueUrl?: string;
}

/** A missing or bad environment variable; the message names it. */
export class EnvironmentError extends NotifierError {}

export const ENV = {
  config: 'NOTIFIER_CONFIG',
  secretArn: 'SLACK_WEBHOOK_SECRET_ARN',
  webhookUrl: 'SLACK_WEBHOOK_URL',
  botToken: 'SLACK_BOT_TOKEN',
  apiUrl: 'SLACK_API_URL',
  slackRate: 'SLACK_RATE_PER_SECOND',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  queueUrl: 'EVENT_QUEUE_URL',
} as const;

/** The configuration the stack ships inside the function's code, next to its handler. */
export const BUNDLED_CONFIG_FILE = 'notifier-config.json';

/**
 * Reads the environment once, at cold start: the configuration from `NOTIFIER_CONFIG` (local runs,
 * tests) or else the file bundled with the function (`bundledConfig`), each route's webhook, the
 * pace and the idempotency table. Throws an {@link EnvironmentError} naming what is missing or bad.
 */
export function readEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  bundledConfig: URL | undefined = undefined,
): LambdaEnvironment {
  const config = readConfig(env, bundledConfig);
  const destinations = new Map<string, RouteDestination>();
  const toChannel = channelDestination(config, env);
  // The variables win over the configuration's secrets, so a local run can point a deployed
  // configuration at a local Slack with SLACK_WEBHOOK_URL alone: every route then posts there.
  const url = env[ENV.webhookUrl];
  const secretArn = env[ENV.secretArn];
  if (secretArn) destinations.set(DEFAULT_ROUTE, { secretArn });
  else if (config.slackChannel)
    destinations.set(DEFAULT_ROUTE, toChannel(config.slackChannel, 'slackChannel'));
  else if (url) destinations.set(DEFAULT_ROUTE, { url });
  else if (config.slackWebhookSecretArn)
    destinations.set(DEFAULT_ROUTE, { secretArn: config.slackWebhookSecretArn });
  for (const [i, route] of config.routes.entries()) {
    if (route.channel) destinations.set(route.name, toChannel(route.channel, `routes[${i}].channel`));
    else if (url) destinations.set(route.name, { url });
    else if (route.webhookSecretArn) destinations.set(route.name, { secretArn: route.webhookSecretArn });
  }
  if (destinations.size === 0)
    throw new EnvironmentError(
      `set ${ENV.secretArn} (or ${ENV.webhookUrl} for local runs), or configure slackWebhookSecretArn, slackChannel or routes`,
    );
  const rate = Number(env[ENV.slackRate] ?? '1');
  if (!Number.isFinite(rate) || rate <= 0)
    throw new EnvironmentError(`${ENV.slackRate} must be a positive number`);
  const table = env[ENV.idempotencyTable];
  const queueUrl = env[ENV.queueUrl];
  return {
    config,
    destinations,
    slackRatePerSecond: rate,
    ...(table ? { idempotencyTable: table } : {}),
    ...(queueUrl ? { queueUrl } : {}),
  };
}

/**
 * A channel's destination: with the bot token of `SLACK_BOT_TOKEN` (local runs; `SLACK_API_URL`
 * points it elsewhere), else to `SLACK_WEBHOOK_URL` (a local Slack takes every route), else with
 * the token of `slackBotTokenSecretArn`. Throws naming `key` when there is no token.
 */
function channelDestination(config: NotifierConfig, env: NodeJS.ProcessEnv) {
  return (channel: string, key: string): RouteDestination => {
    const token = env[ENV.botToken];
    const apiUrl = env[ENV.apiUrl];
    if (token) return { channel, token: { token }, ...(apiUrl ? { apiUrl } : {}) };
    const url = env[ENV.webhookUrl];
    if (url) return { url };
    if (config.slackBotTokenSecretArn)
      return { channel, token: { secretArn: config.slackBotTokenSecretArn }, ...(apiUrl ? { apiUrl } : {}) };
    throw new EnvironmentError(
      `${key} names a channel, but no bot token posts to it: configure slackBotTokenSecretArn (or set ${ENV.botToken} for local runs)`,
    );
  };
}

function readConfig(env: NodeJS.ProcessEnv, bundledConfig: URL | undefined): NotifierConfig {
  const fromEnv = env[ENV.config];
  let raw: string | undefined = fromEnv;
  let where: string = ENV.config;
  if (!raw && bundledConfig) {
    try {
      raw = readFileSync(bundledConfig, 'utf8');
      where = BUNDLED_CONFIG_FILE;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  if (!raw)
    throw new EnvironmentError(
      `${ENV.config} is not set and no ${BUNDLED_CONFIG_FILE} came with the function: one of them holds the notifier's configuration`,
    );
  return parseConfigText(raw, where);
}

/**
 * The configuration from JSON text (`NOTIFIER_CONFIG`, the bundled file), validated; throws an
 * {@link EnvironmentError} naming `where` and the key that is wrong.
 */
function parseConfigText(raw: string, where: string): NotifierConfig {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new EnvironmentError(`${where} is not valid JSON (it holds the configuration as JSON text)`);
  }
  try {
    return parseNotifierConfig(json, where);
  } catch (error) {
    if (error instanceof ValidationError) throw new EnvironmentError(error.message);
    throw error;
  }
}
