import type { Logger } from '@aws-lambda-powertools/logger';
import { ECSClient } from '@aws-sdk/client-ecs';
import { createEcsDescribeTasks } from '../lambda/adapters/ecs.js';
import { createMemorySentLedger } from '../lambda/adapters/sent-ledger.js';
import { createSlackSender, type SlackRetry } from '../lambda/adapters/slack.js';
import type { NotifierConfig } from '../lambda/domain/config.js';
import { deliverEvaluations, type EventResult } from '../lambda/pipeline/deliver.js';
import { evaluateEvents } from '../lambda/pipeline/evaluate.js';
import type { LocalServices } from './services.js';

/** Credentials the local ECS API accepts; the SDK needs some, and must not go looking for real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A real `ECSClient` that talks to the local ECS API. */
export function localEcsClient(endpoint: string, region: string): ECSClient {
  return new ECSClient({ region, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 });
}

export interface ReplayExampleOptions {
  /** The decision log. */
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Told before each Slack retry, so the demo can say why it waits. */
  onRetry?: (retry: SlackRetry) => void;
}

/**
 * Replays each generated task's example event through the Lambda's pipeline: DescribeTasks through
 * a real `ECSClient` to the local ECS API, Slack through the real sender to the sink.
 */
export async function replayExampleEvents(
  services: LocalServices,
  config: NotifierConfig,
  { logger, onRetry }: ReplayExampleOptions = {},
): Promise<EventResult[]> {
  const clients = new Map<string, ECSClient>();
  const describeTasks = createEcsDescribeTasks({
    clientFor: (region) => {
      const client = clients.get(region) ?? localEcsClient(services.ecsApi.url, region);
      clients.set(region, client);
      return client;
    },
  });
  const sender = createSlackSender(services.sink.hookUrl, {
    ratePerSecond: 20,
    burst: 20,
    ...(onRetry ? { onRetry } : {}),
  });
  try {
    const evaluations = await evaluateEvents(
      services.tasks.map((t) => t.event),
      { config, describeTasks },
    );
    return await deliverEvaluations(evaluations, {
      sender,
      ledger: createMemorySentLedger(),
      digestThreshold: config.digestThreshold,
      ...(logger ? { logger } : {}),
    });
  } finally {
    for (const client of clients.values()) client.destroy();
  }
}
