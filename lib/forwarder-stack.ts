import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnEventBusPolicy, EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { NotifierConfig, SourceConfig } from '../lambda/domain/config/config.js';
import { parseClusterArn } from '../lambda/domain/task/arn.js';
import { TASK_STATE_CHANGE } from '../lambda/domain/task/event-schema.js';
import type { FullConfig } from './deploy-schema.js';
import { taskEventRules } from './event-pattern.js';

/** Sources whose clusters live in one account and region other than the notifier's. */
export interface ForwardedSources {
  readonly account: string;
  readonly region: string;
  readonly sources: SourceConfig[];
}

/**
 * Groups the sources by the account and region their cluster ARN names, leaving out the
 * notifier's own. Empty when the notifier's account and region are not configured.
 */
export function forwardedSources(
  config: Pick<FullConfig, 'sources' | 'account' | 'region'>,
): ForwardedSources[] {
  if (!config.account || !config.region) return [];
  const groups = new Map<string, ForwardedSources>();
  for (const source of config.sources) {
    const { account, region } = parseClusterArn(source.clusterArn);
    if (account === config.account && region === config.region) continue;
    const key = `${account} ${region}`;
    const group = groups.get(key) ?? { account, region, sources: [] };
    group.sources.push(source);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export interface EcsTaskEventForwarderStackProps extends StackProps {
  /** The filters and the sources whose clusters live where this stack is deployed. */
  readonly config: Pick<NotifierConfig, 'sources' | 'notifyOn' | 'ignoreGroups'>;
  /** The notifier's bus, e.g. `arn:aws:events:us-east-1:123456789012:event-bus/default`. */
  readonly targetEventBusArn: string;
}

/**
 * Deployed where the clusters live (another account or region): forwards their task events,
 * filtered by the same pattern as the notifier's rule, to the notifier's event bus.
 */
export class EcsTaskEventForwarderStack extends Stack {
  readonly rules: Rule[];
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: EcsTaskEventForwarderStackProps) {
    super(scope, id, props);
    this.deadLetterQueue = new Queue(this, 'ForwardDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(this.deadLetterQueue).acknowledge({
        id,
        reason:
          'This queue is the dead-letter queue of the forwarding rule target; it is the last stop, alarmed on.',
      });
    }
    const bus = EventBus.fromEventBusArn(this, 'NotifierBus', props.targetEventBusArn);
    this.rules = taskEventRules(props.config).map(
      (rule) =>
        new Rule(this, rule.id, {
          description: `Forwards ECS task state changes of ${rule.clusterArns.length} cluster(s) to the notifier`,
          eventPattern: rule.pattern,
          targets: [new EventBusTarget(bus, { deadLetterQueue: this.deadLetterQueue })],
        }),
    );
    new Alarm(this, 'ForwardDeadLetterMessages', {
      alarmDescription: 'Task events could not be forwarded to the notifier bus; they wait in the DLQ.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

export interface ForwardedEventsBusPolicyProps {
  /** Accounts whose forwarders may put ECS task state changes on this account's default bus. */
  readonly sourceAccounts: readonly string[];
}

/**
 * A default-bus policy given as one whole `statement`, the form CloudFormation recommends. It never
 * sets the legacy `principal`, `action` or `condition` properties, whose getters jsii reports as
 * deprecated; cdk-nag's AwsSolutions-EVB1 reads `principal` of every bus policy, so this policy
 * answers that read from its own (unset) value instead of through the deprecated getter. cdk-nag
 * still checks the statement.
 */
class StatementBusPolicy extends CfnEventBusPolicy {
  override get principal(): string | undefined {
    return this.cfnProperties.principal;
  }

  override set principal(value: string | undefined) {
    super.principal = value;
  }
}

/** The receiving side: lets each source account put ECS task state changes, and nothing else, on the default bus. */
export class ForwardedEventsBusPolicy extends Construct {
  readonly policies: CfnEventBusPolicy[];

  constructor(scope: Construct, id: string, props: ForwardedEventsBusPolicyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const busArn = stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
    this.policies = [...new Set(props.sourceAccounts)].map(
      (account) =>
        new StatementBusPolicy(this, `From${account}`, {
          statementId: `EcsTaskEventsFrom${account}`,
          statement: {
            Effect: 'Allow',
            Principal: { AWS: `arn:${stack.partition}:iam::${account}:root` },
            Action: 'events:PutEvents',
            Resource: busArn,
            Condition: {
              'ForAllValues:StringEquals': { 'events:source': ['aws.ecs'] },
              StringEquals: { 'events:detail-type': TASK_STATE_CHANGE },
            },
          },
        }),
    );
  }
}
