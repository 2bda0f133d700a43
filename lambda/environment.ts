import { type NotifierConfig, parseNotifierConfig } from './domain/config.js';
import { ValidationError } from './domain/validation.js';

/** The Lambda's environment, read and validated once at cold start. */
export interface LambdaEnvironment {
  config: NotifierConfig;
  /** Where the webhook URL comes from: a secret (deployed) or the URL itself (local runs only). */
  webhook: { secretArn: string } | { url: string };
  /** Slack messages per second per webhook. */
  slackRatePerSecond: number;
  /** DynamoDB table for idempotency records; without it, an in-memory store (local runs). */
  idempotencyTable?: string;
}

/** A missing or bad environment variable; the message names it. */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

export const ENV = {
  config: 'NOTIFIER_CONFIG',
  secretArn: 'SLACK_WEBHOOK_SECRET_ARN',
  webhookUrl: 'SLACK_WEBHOOK_URL',
  slackRate: 'SLACK_RATE_PER_SECOND',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
} as const;

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): LambdaEnvironment {
  const raw = env[ENV.config];
  if (!raw)
    throw new EnvironmentError(`${ENV.config} is not set: it holds the notifier's configuration as JSON`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new EnvironmentError(`${ENV.config} is not valid JSON`);
  }
  let config: NotifierConfig;
  try {
    config = parseNotifierConfig(json, ENV.config);
  } catch (error) {
    if (error instanceof ValidationError) throw new EnvironmentError(error.message);
    throw error;
  }
  // The variables win over the configuration's secret, so a local run can point a deployed
  // configuration at a local Slack with SLACK_WEBHOOK_URL alone.
  const url = env[ENV.webhookUrl];
  const secretArn = env[ENV.secretArn] || (url ? undefined : config.slackWebhookSecretArn);
  if (!secretArn && !url)
    throw new EnvironmentError(`set ${ENV.secretArn} (or ${ENV.webhookUrl} for local runs)`);
  const rate = Number(env[ENV.slackRate] ?? '1');
  if (!Number.isFinite(rate) || rate <= 0)
    throw new EnvironmentError(`${ENV.slackRate} must be a positive number`);
  const table = env[ENV.idempotencyTable];
  return {
    config,
    webhook: secretArn ? { secretArn } : { url: url as string },
    slackRatePerSecond: rate,
    ...(table ? { idempotencyTable: table } : {}),
  };
}
