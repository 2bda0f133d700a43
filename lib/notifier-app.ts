import type { App } from 'aws-cdk-lib';
import { parseClusterArn } from '../lambda/domain/task/arn.js';
import type { DeployConfig } from './deploy-config.js';
import { forwardedSources } from './forwarded-sources.js';
import { EcsTaskEventForwarderStack } from './forwarder-stack.js';
import { addNagChecks } from './nag.js';
import { EcsTaskNotifierStack } from './notifier-stack.js';

export interface NotifierStacks {
  readonly notifier: EcsTaskNotifierStack;
  /** One per other account or region the configured clusters live in (needs `account` and `region`). */
  readonly forwarders: EcsTaskEventForwarderStack[];
}

/**
 * Adds the notifier stack (pinned to `account`/`region` when configured, else environment-agnostic),
 * a forwarder stack per other account or region, and the cdk-nag checks.
 */
export function addNotifierStacks(app: App, config: DeployConfig): NotifierStacks {
  const env =
    config.account && config.region ? { account: config.account, region: config.region } : undefined;
  const notifier = new EcsTaskNotifierStack(app, 'EcsTaskNotifier', {
    config,
    description: 'ecs-task-notifier: ECS task state changes to Slack',
    ...(env ? { env } : {}),
  });
  // A literal ARN: a token would make a cross-stack (and cross-region) reference.
  const { partition } = parseClusterArn(config.sources[0].clusterArn);
  const targetEventBusArn = `arn:${partition}:events:${config.region}:${config.account}:event-bus/default`;
  const forwarders = forwardedSources(config).map(
    (group) =>
      new EcsTaskEventForwarderStack(app, `EcsTaskEventForwarder-${group.account}-${group.region}`, {
        env: { account: group.account, region: group.region },
        description: 'ecs-task-notifier: forwards ECS task state changes to the notifier bus',
        config: { ...config, sources: group.sources },
        targetEventBusArn,
        ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
        // Another account's task details are read through a role of its own, which this stack adds.
        ...(group.account !== config.account
          ? {
              reader: {
                logGroups: config.logGroups,
                notifierAccount: config.account as string,
                notifierRegion: config.region as string,
              },
            }
          : {}),
      }),
  );
  addNagChecks(app);
  return { notifier, forwarders };
}
