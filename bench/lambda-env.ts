import { ENV } from '../lambda/environment.js';
import { RUNTIME_CONFIG } from './fixtures.js';

/**
 * The environment a bundled handler runs with in the bench: the deployed function's own plain
 * variables (`NODE_OPTIONS`, Powertools settings), the bench configuration without the secret,
 * the webhook URL of the local sink, dummy credentials and the local ECS API. No idempotency table:
 * the in-memory ledger.
 */
export function lambdaEnvironment(
  deployed: Record<string, string>,
  endpoints: { ecs: string; webhook: string },
  slackRatePerSecond: number,
): NodeJS.ProcessEnv {
  const { [ENV.config]: _config, [ENV.secretArn]: _secret, [ENV.slackRate]: _rate, ...plain } = deployed;
  return {
    PATH: process.env.PATH,
    ...plain,
    [ENV.config]: JSON.stringify(RUNTIME_CONFIG),
    [ENV.webhookUrl]: endpoints.webhook,
    [ENV.slackRate]: String(slackRatePerSecond),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_ECS: endpoints.ecs,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
