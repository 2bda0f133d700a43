import type { Logger } from '@aws-lambda-powertools/logger';
import { BatchClient } from '@aws-sdk/client-batch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { clientsByRegion } from '../lambda/adapters/aws.js';
import { createBatchDescribeJobs } from '../lambda/adapters/batch.js';
import { createEcsDescribeTasks } from '../lambda/adapters/ecs.js';
import { createEcsDescribeServices } from '../lambda/adapters/ecs-services.js';
import { createReadLogEvents } from '../lambda/adapters/log-events.js';
import { createMemorySentLedger } from '../lambda/adapters/sent-ledger.js';
import { createSlackSender, type SlackRetry, type SlackSender } from '../lambda/adapters/slack.js';
import { createEcsDescribeTaskDefinition } from '../lambda/adapters/task-definitions.js';
import type { NotifierConfig } from '../lambda/domain/config/config.js';
import { createNotifier } from '../lambda/notifier.js';
import type { EventResult } from '../lambda/pipeline/deliver.js';
import type { LocalServices } from './services.js';

/** Credentials the local ECS API accepts; the SDK needs some, and must not go looking for real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A real `ECSClient` that talks to the local ECS API. */
export function localEcsClient(endpoint: string, region: string): ECSClient {
  return new ECSClient({ region, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 });
}

/** A real `BatchClient` that talks to the local ECS API, which answers Batch's DescribeJobs too. */
export function localBatchClient(endpoint: string, region: string): BatchClient {
  return new BatchClient({ region, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 });
}

/** A real `CloudWatchLogsClient` that talks to the local CloudWatch Logs API. */
export function localLogsClient(endpoint: string, region: string): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ region, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 });
}

export interface ReplayExampleOptions {
  /** The decision log. */
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Told before each Slack retry, so the demo can say why it waits. */
  onRetry?: (retry: SlackRetry) => void;
}

/**
 * Replays each generated task's example event, then a service, deployment, RunTask and Batch job
 * event (those `events` lists), through the Lambda's notifier: DescribeTasks,
 * DescribeTaskDefinition and DescribeServices through a real `ECSClient` to the local ECS API,
 * DescribeJobs through a real `BatchClient` to the same, the failed task's log tail through a
 * real `CloudWatchLogsClient` to the local Logs API (when `logGroups` lets it), Slack through the
 * real sender to the sink, each route to a hook of its own.
 */
export async function replayExampleEvents(
  services: LocalServices,
  config: NotifierConfig,
  { logger, onRetry }: ReplayExampleOptions = {},
): Promise<EventResult[]> {
  // One client per service and region, each destroyed at the end.
  const created: { destroy(): void }[] = [];
  const kept = <Client extends { destroy(): void }>(create: (region: string) => Client) =>
    clientsByRegion((region) => {
      const client = create(region);
      created.push(client);
      return client;
    });
  const ecsClientFor = kept((region) => localEcsClient(services.ecsApi.url, region));
  const logsClientFor = kept((region) => localLogsClient(services.logsApi.url, region));
  const batchClientFor = kept((region) => localBatchClient(services.ecsApi.url, region));
  // Each route posts to a hook of its own on the sink (`/hook/<route>`), whose page shows which.
  const senders = new Map<string, SlackSender>();
  const notifier = createNotifier(config, {
    senderFor: (route) => {
      let sender = senders.get(route);
      if (!sender) {
        sender = createSlackSender(`${services.sink.hookUrl}/${route}`, {
          ratePerSecond: 20,
          burst: 20,
          ...(onRetry ? { onRetry } : {}),
        });
        senders.set(route, sender);
      }
      return sender;
    },
    describeTasks: createEcsDescribeTasks({ clientFor: ecsClientFor }),
    describeServices: createEcsDescribeServices({ clientFor: ecsClientFor }),
    describeJobs: createBatchDescribeJobs({ clientFor: batchClientFor }),
    describeTaskDefinition: createEcsDescribeTaskDefinition({ clientFor: ecsClientFor }),
    logs: { read: createReadLogEvents({ clientFor: logsClientFor }) },
    ledger: createMemorySentLedger(),
    ...(logger ? { logger } : {}),
  });
  try {
    const kinds = services.kinds.events.filter((example) => config.events.includes(example.kind));
    return await notifier.notify([...services.tasks, ...kinds].map(({ event }) => ({ event })));
  } finally {
    for (const client of created) client.destroy();
  }
}
