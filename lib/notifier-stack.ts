import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeployConfig } from './deploy-config.js';
import { EcsTaskNotifier } from './ecs-task-notifier.js';
import { forwardedSources } from './forwarded-sources.js';
import { ForwardedEventsBusPolicy } from './forwarder-stack.js';

export interface EcsTaskNotifierStackProps extends StackProps {
  /** The validated `ecsTaskNotifier` configuration. */
  readonly config: DeployConfig;
}

/** The notifier, the bus policy that lets other accounts' forwarders in, and what a redrive needs. */
export class EcsTaskNotifierStack extends Stack {
  readonly notifier: EcsTaskNotifier;
  readonly busPolicy?: ForwardedEventsBusPolicy;

  constructor(scope: Construct, id: string, props: EcsTaskNotifierStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.notifier = new EcsTaskNotifier(this, 'Notifier', { config });
    const sourceAccounts = forwardedSources(config)
      .map((group) => group.account)
      .filter((account) => account !== config.account);
    if (sourceAccounts.length > 0) {
      this.busPolicy = new ForwardedEventsBusPolicy(this, 'ForwardedEventsBusPolicy', {
        sourceAccounts,
        events: config.events,
        ...(config.organizationId ? { organizationId: config.organizationId } : {}),
      });
    }
    new CfnOutput(this, 'EventQueueArn', {
      description: 'The queue the Lambda reads: where a redrive sends dead letters back to',
      value: this.notifier.queue.queueArn,
    });
    new CfnOutput(this, 'EventQueueUrl', { value: this.notifier.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueArn', {
      description: 'Task events the Lambda gave up on or EventBridge could not queue',
      value: this.notifier.deadLetterQueue.queueArn,
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.notifier.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Where the alarms go',
      value: this.notifier.alarmTopic.topicArn,
    });
  }
}
