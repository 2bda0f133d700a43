import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { retryHorizonSeconds } from '../lambda/domain/delivery/retry.js';
import { createAlarmTopic } from './alarm-topic.js';
import { checkPaceFitsTimeout, DEFAULT_FUNCTION_TIMEOUT, type DeployConfig } from './deploy-config.js';
import { notifierRules } from './kind-rules.js';
import { NotifierAlarms } from './notifier-alarms.js';
import { createNotifierFunction } from './notifier-function.js';
import { functionRoleName, readerRoles } from './reader-role.js';
import { DEAD_LETTER_RETENTION, DEFAULT_MAX_RECEIVE_COUNT, EVENT_QUEUE_RETENTION } from './retention.js';
import { allowRulesToSend, queueTarget } from './rule-targets.js';
import { grantRuntimeAccess } from './runtime-grants.js';

export interface EcsTaskNotifierProps {
  /** The validated `ecsTaskNotifier` configuration: clusters, filters, secret, alarm topic. */
  readonly config: DeployConfig;
  /**
   * The Lambda's timeout; the queue's visibility timeout is six times this. Each invocation must be
   * able to send two messages at the pace `maxConcurrency` sets, or construction throws.
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
  /**
   * The Lambda's memory in MB; CPU comes with it. A batch of 1,000 task stops takes about 6 s of
   * one CPU (mostly the idempotency records' requests): at 1,024 MB (about 0.6 vCPU) some 10 s.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Task events per Lambda invocation.
   * @default config.batchSize (1000)
   */
  readonly batchSize?: number;
  /**
   * How long the event source gathers a batch, so a burst of stops can become one digest.
   * @default Duration.seconds(config.batchWindowSeconds) (5 s)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Receives of one event before it moves to the dead-letter queue; with the visibility timeout, how
   * long a failing event is retried (their sum must stay under the queue's 4-day retention).
   * @default DEFAULT_MAX_RECEIVE_COUNT (20: about 26 hours of growing waits)
   */
  readonly maxReceiveCount?: number;
  /**
   * Age of the oldest queued event that raises the queue-age alarm.
   * @default Duration.minutes(15)
   */
  readonly queueAgeAlarmThreshold?: Duration;
}

/**
 * ECS task state changes of the configured clusters → EventBridge rule(s) → SQS → Lambda → Slack.
 * An event is delivered once (idempotency table) or kept in the DLQ and alarmed on: the DLQ takes
 * both what the Lambda gave up on and what EventBridge could not put on the queue, so one
 * `start-message-move-task` into the queue redrives either.
 */
export class EcsTaskNotifier extends Construct {
  readonly rules: Rule[];
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: NodejsFunction;
  readonly idempotencyTable: Table;
  readonly alarms: NotifierAlarms;
  /** The topic the alarms tell: `alarmTopicArn`, or one created here. */
  readonly alarmTopic: ITopic;

  constructor(scope: Construct, id: string, props: EcsTaskNotifierProps) {
    super(scope, id);
    const { config } = props;
    const timeout = props.timeout ?? DEFAULT_FUNCTION_TIMEOUT;
    checkPaceFitsTimeout(config.maxConcurrency, timeout);

    this.deadLetterQueue = secureQueue(this, 'DeadLetterQueue', { retentionPeriod: DEAD_LETTER_RETENTION });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is the dead-letter queue of the event queue and of the rule targets; it is the last stop, alarmed on.',
    });
    const maxReceiveCount = props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
    // The handler's growing waits must end before the queue drops the event, so it reaches the DLQ.
    const horizon = retryHorizonSeconds(maxReceiveCount);
    if (horizon >= EVENT_QUEUE_RETENTION.toSeconds() / 2) {
      throw new Error(
        `maxReceiveCount ${maxReceiveCount} retries an event for ${Math.round(horizon / 3600)} h, too close to the queue's ${EVENT_QUEUE_RETENTION.toDays()}-day retention: events could expire before the dead-letter queue`,
      );
    }
    this.queue = secureQueue(this, 'EventQueue', {
      retentionPeriod: EVENT_QUEUE_RETENTION,
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount,
      },
    });

    const target = queueTarget(this.queue, this.deadLetterQueue, {
      retryAttempts: 185,
      maxEventAge: Duration.hours(24),
    });
    this.rules = notifierRules(config).map(
      (rule) =>
        new Rule(this, rule.id, {
          description: rule.description,
          eventPattern: rule.pattern,
          targets: [target],
        }),
    );
    allowRulesToSend(this.rules, this.queue, this.deadLetterQueue);

    this.idempotencyTable = new Table(this, 'IdempotencyTable', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiration',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Records only say "already sent" for a short while; nothing worth keeping after a teardown.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const logGroup = new LogGroup(this, 'FunctionLogs', {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Other accounts' reader roles trust this role by name, so it has a fixed one when there are any.
    const trusted = Object.keys(readerRoles(config)).length > 0 && config.region;
    const role = new Role(this, 'FunctionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      ...(trusted ? { roleName: functionRoleName(trusted) } : {}),
      description:
        "ecs-task-notifier Lambda: its logs, DescribeTasks on the configured clusters of its account, the webhook secrets, task definitions, the configured log groups, other accounts' reader roles",
    });
    logGroup.grantWrite(role);
    grantRuntimeAccess(this, role, config, this.idempotencyTable.tableArn);

    this.function = createNotifierFunction(this, 'Function', {
      config,
      tableName: this.idempotencyTable.tableName,
      queueUrl: this.queue.queueUrl,
      role,
      logGroup,
      timeout,
      memorySize: props.memorySize ?? 1024,
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? config.batchSize,
        maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(config.batchWindowSeconds),
        reportBatchItemFailures: true,
        maxConcurrency: config.maxConcurrency,
      }),
    );
    Validations.of(this.function).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously by the SQS event source: a failed event returns to the queue, then its DLQ.',
      },
      {
        id: 'Serverless-LambdaTracing',
        reason: 'No tracer is instrumented; every decision is a structured log line keyed by taskArn.',
      },
    );
    for (const mapping of this.function.node.children.filter((c) => c instanceof EventSourceMapping)) {
      Validations.of(mapping).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          'SQS event source mappings take no on-failure destination; the queue redrive policy moves failed events to the DLQ.',
      });
    }

    this.alarmTopic = config.alarmTopicArn
      ? Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn)
      : createAlarmTopic(this, 'AlarmTopic', config.alarmEmail ? { email: config.alarmEmail } : {});
    this.alarms = new NotifierAlarms(this, 'Alarms', {
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      function: this.function,
      queueAgeThreshold: props.queueAgeAlarmThreshold ?? Duration.minutes(15),
      topic: this.alarmTopic,
    });
  }
}

function secureQueue(scope: Construct, id: string, props: ConstructorParameters<typeof Queue>[2]): Queue {
  return new Queue(scope, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
}
