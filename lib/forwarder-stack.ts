import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { CfnEventBusPolicy, Rule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { NotifierConfig } from '../lambda/domain/config/config.js';
import type { ReportKind } from '../lambda/domain/report/report.js';
import { createAlarmTopic } from './alarm-topic.js';
import { CONTEXT_KEY, DeployConfigError } from './deploy-config.js';
import { KIND_EVENTS, notifierRules } from './kind-rules.js';
import { eventBusPolicySize, QUOTAS } from './quotas.js';
import { TaskReaderRole, type TaskReaderRoleProps } from './reader-role.js';
import { DEAD_LETTER_RETENTION } from './retention.js';
import { allowRulesToSend, eventBusTarget } from './rule-targets.js';
import { worstCaseValue } from './worst-case-values.js';

export interface EcsTaskEventForwarderStackProps extends StackProps {
  /** The filters and the sources whose clusters live where this stack is deployed. */
  readonly config: Pick<NotifierConfig, 'sources' | 'notifyOn' | 'ignoreGroups'> &
    Partial<Pick<NotifierConfig, 'events'>>;
  /** The notifier's bus, e.g. `arn:aws:events:us-east-1:123456789012:event-bus/default`. */
  readonly targetEventBusArn: string;
  /**
   * Subscribed to this stack's alarm topic.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * The notifier this stack's account is read by, when it is another account: the stack then adds
   * the reader role its function assumes (task details, task definitions, log tails).
   * @default - no reader role (the notifier's own account reads with its own role)
   */
  readonly reader?: Omit<TaskReaderRoleProps, 'sources'>;
}

/**
 * Deployed where the clusters live (another account or region): forwards their task events,
 * filtered by the same patterns as the notifier's rules, to the notifier's event bus. What cannot be
 * forwarded waits in a dead-letter queue, alarmed on through this stack's own topic.
 */
export class EcsTaskEventForwarderStack extends Stack {
  readonly rules: Rule[];
  readonly deadLetterQueue: Queue;
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: EcsTaskEventForwarderStackProps) {
    super(scope, id, props);
    this.deadLetterQueue = new Queue(this, 'ForwardDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(this.deadLetterQueue).acknowledge({
        id,
        reason:
          'This queue is the dead-letter queue of the forwarding rule targets; it is the last stop, alarmed on.',
      });
    }
    // One role for every forwarding rule: EventBridge assumes it to put events on the notifier's bus.
    const role = new Role(this, 'ForwardRole', {
      assumedBy: new ServicePrincipal('events.amazonaws.com'),
      description: "ecs-task-notifier forwarder: puts the forwarded task events on the notifier's bus",
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['events:PutEvents'], resources: [props.targetEventBusArn] }),
    );
    const target = eventBusTarget(props.targetEventBusArn, role, this.deadLetterQueue);
    this.rules = notifierRules(props.config).map(
      (rule) =>
        new Rule(this, rule.id, {
          description: `Forwards ${rule.description.charAt(0).toLowerCase()}${rule.description.slice(1)}`,
          eventPattern: rule.pattern,
          targets: [target],
        }),
    );
    allowRulesToSend(this.rules, this.deadLetterQueue);
    if (props.reader)
      new TaskReaderRole(this, 'Reader', {
        ...props.reader,
        sources: props.config.sources,
        events: props.config.events ?? ['task'],
      });
    this.alarmTopic = createAlarmTopic(
      this,
      'AlarmTopic',
      props.alarmEmail ? { email: props.alarmEmail } : {},
    );
    const alarm = new Alarm(this, 'ForwardDeadLetterMessages', {
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
    const action = new SnsAction(this.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    new CfnOutput(this, 'ForwardDeadLetterQueueUrl', {
      description: 'Task events that could not be forwarded; redrive them into the notifier queue',
      value: this.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Where the alarms of this stack go',
      value: this.alarmTopic.topicArn,
    });
  }
}

export interface ForwardedEventsBusPolicyProps {
  /** Accounts whose forwarders may put ECS task state changes on this account's default bus. */
  readonly sourceAccounts: readonly string[];
  /**
   * The kinds of event forwarded: what the policy lets in (their `detail-type`s and sources).
   * @default ['task']
   */
  readonly events?: readonly ReportKind[];
  /**
   * Let in every account of this organization (`aws:PrincipalOrgID`) instead of naming each one.
   * @default - the accounts are named
   */
  readonly organizationId?: string;
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

/**
 * The receiving side: lets the source accounts put the kinds of event forwarded (ECS task state
 * changes by default), and nothing else, on the default bus, in one statement naming them all (or their organization). Throws a
 * {@link DeployConfigError} naming `organizationId` when the statement would not fit EventBridge's
 * bus policy quota.
 */
export class ForwardedEventsBusPolicy extends Construct {
  readonly policy: CfnEventBusPolicy;

  constructor(scope: Construct, id: string, props: ForwardedEventsBusPolicyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const accounts = [...new Set(props.sourceAccounts)].sort();
    const roots = accounts.map((account) => `arn:${stack.partition}:iam::${account}:root`);
    const statementId = 'EcsTaskEventsFromForwarders';
    const kinds = (props.events ?? ['task']).map((kind) => KIND_EVENTS[kind]);
    const detailTypes = [...new Set(kinds.map((k) => k.detailType))];
    const statement = {
      Effect: 'Allow',
      Principal: props.organizationId ? '*' : { AWS: roots.length === 1 ? roots[0] : roots },
      Action: 'events:PutEvents',
      Resource: stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' }),
      Condition: {
        'ForAllValues:StringEquals': { 'events:source': [...new Set(kinds.map((k) => k.source))] },
        StringEquals: {
          'events:detail-type': detailTypes.length === 1 ? detailTypes[0] : detailTypes,
          ...(props.organizationId ? { 'aws:PrincipalOrgID': props.organizationId } : {}),
        },
      },
    };
    const size = eventBusPolicySize([worstCaseValue(stack.resolve({ Sid: statementId, ...statement }), {})]);
    const quota = QUOTAS.eventBusPolicySize;
    if (size > quota.limit) {
      throw new DeployConfigError(
        `${CONTEXT_KEY}.organizationId`,
        `is needed: the notifier's default-bus policy naming ${accounts.length} accounts is ${size.toLocaleString('en-US')} ${quota.unit}, over ${quota.service}'s ${quota.name} of ${quota.limit.toLocaleString('en-US')}; set "organizationId": "o-…" to let the organization's accounts in with one statement`,
      );
    }
    this.policy = new StatementBusPolicy(this, 'Policy', { statementId, statement });
  }
}
