import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeployConfig } from './deploy-config.js';
import { EcsTaskNotifier } from './ecs-task-notifier.js';
import { ForwardedEventsBusPolicy, forwardedSources } from './forwarder-stack.js';

export interface EcsTaskNotifierStackProps extends StackProps {
  /** The validated `ecsTaskNotifier` configuration. */
  readonly config: DeployConfig;
}

/** The notifier, and the bus policy that lets other accounts' forwarders in. */
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
      this.busPolicy = new ForwardedEventsBusPolicy(this, 'ForwardedEventsBusPolicy', { sourceAccounts });
    }
  }
}
