import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { needsVpcLookup } from '../lambda/domain/report/source.js';
import { parseClusterArn } from '../lambda/domain/task/arn.js';
import { checkPaceFitsTimeout, DEFAULT_FUNCTION_TIMEOUT, type DeployConfig } from './deploy-config.js';
import { taskEventRules } from './event-pattern.js';
import { NotifierAlarms } from './notifier-alarms.js';
import { createNotifierFunction } from './notifier-function.js';
import { taskArnsOfClusters } from './task-arns.js';

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
   * Receives of one event before it moves to the dead-letter queue.
   * @default 5
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
 * An event is delivered once (idempotency table) or kept in a DLQ and alarmed on.
 */
export class EcsTaskNotifier extends Construct {
  readonly rules: Rule[];
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly ruleDeadLetterQueue: Queue;
  readonly function: NodejsFunction;
  readonly idempotencyTable: Table;
  readonly alarms: NotifierAlarms;

  constructor(scope: Construct, id: string, props: EcsTaskNotifierProps) {
    super(scope, id);
    const { config } = props;
    const timeout = props.timeout ?? DEFAULT_FUNCTION_TIMEOUT;
    checkPaceFitsTimeout(config.maxConcurrency, timeout);

    this.deadLetterQueue = secureQueue(this, 'DeadLetterQueue', { retentionPeriod: Duration.days(14) });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: 'This queue is the dead-letter queue of the event queue; it is the last stop, alarmed on.',
    });
    this.queue = secureQueue(this, 'EventQueue', {
      // SQS's longest: events wait out a long Slack outage (the default is 4 days).
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    this.ruleDeadLetterQueue = secureQueue(this, 'RuleDeadLetterQueue', {
      retentionPeriod: Duration.days(14),
    });
    for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(this.ruleDeadLetterQueue).acknowledge({
        id,
        reason:
          'This queue is the dead-letter queue of the EventBridge rule target; it is the last stop, alarmed on.',
      });
    }

    this.rules = taskEventRules(config).map(
      (rule) =>
        new Rule(this, rule.id, {
          description: `ECS task state changes of ${rule.clusterArns.length} cluster(s) to the notifier queue`,
          eventPattern: rule.pattern,
          targets: [
            new SqsQueue(this.queue, {
              deadLetterQueue: this.ruleDeadLetterQueue,
              retryAttempts: 185,
              maxEventAge: Duration.hours(24),
            }),
          ],
        }),
    );

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
    const role = new Role(this, 'FunctionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description:
        'ecs-task-notifier Lambda: its logs, DescribeTasks on the configured clusters, the webhook secrets, task definitions, the configured log groups',
    });
    logGroup.grantWrite(role);
    this.grantRuntimeAccess(role, config);

    this.function = createNotifierFunction(this, 'Function', {
      config,
      tableName: this.idempotencyTable.tableName,
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

    this.alarms = new NotifierAlarms(this, 'Alarms', {
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      ruleDeadLetterQueue: this.ruleDeadLetterQueue,
      function: this.function,
      queueAgeThreshold: props.queueAgeAlarmThreshold ?? Duration.minutes(15),
      ...(config.alarmTopicArn ? { alarmTopicArn: config.alarmTopicArn } : {}),
    });
  }

  /**
   * What the handler calls: DescribeTasks, the webhook secret, the idempotency table,
   * DescribeTaskDefinition, GetLogEvents on the `logGroups`' streams, maybe DescribeSubnets.
   */
  private grantRuntimeAccess(role: Role, config: DeployConfig): void {
    const taskArns = taskArnsOfClusters(config.sources.map((s) => s.clusterArn));
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'DescribeConfiguredTasks',
        actions: ['ecs:DescribeTasks'],
        resources: taskArns,
      }),
    );
    for (const arn of taskArns) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arn}]`,
        reason:
          'DescribeTasks is scoped to the tasks of one configured cluster; task IDs are not known in advance.',
      });
    }
    // Exactly the webhook secrets the configuration names: the default one and each route's.
    const secrets = [
      ...new Set([
        ...(config.slackWebhookSecretArn ? [config.slackWebhookSecretArn] : []),
        ...config.routes.map((route) => route.webhookSecretArn),
      ]),
    ];
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadSlackWebhookSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: secrets,
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'IdempotencyRecords',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [this.idempotencyTable.tableArn],
      }),
    );
    // Actions that take no resource ARN, each with why: acknowledged once, with every reason.
    const anyResource: string[] = [];
    // The task definition names each container's log stream; a revision ARN cannot be scoped in IAM.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadTaskDefinitions',
        actions: ['ecs:DescribeTaskDefinition'],
        resources: ['*'],
      }),
    );
    anyResource.push(
      'ecs:DescribeTaskDefinition supports no resource-level permissions; it reads where each container logs, for the links in a message',
    );
    const logStreams = logStreamArns(config);
    if (logStreams.length > 0) {
      role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'ReadTaskLogTails',
          actions: ['logs:GetLogEvents'],
          resources: logStreams,
        }),
      );
      for (const arn of logStreams) {
        Validations.of(role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${arn}]`,
          reason:
            'GetLogEvents is scoped to the streams of the log groups logGroups names; stream names (task IDs) are not known in advance, and awslogs-region may name any region.',
        });
      }
    }
    if (needsVpcLookup(config)) {
      // Two sources share a cluster and differ by vpcId only: the handler asks EC2 for a subnet's VPC.
      role.addToPrincipalPolicy(
        new PolicyStatement({ sid: 'LookUpSubnetVpc', actions: ['ec2:DescribeSubnets'], resources: ['*'] }),
      );
      anyResource.push(
        'ec2:DescribeSubnets supports no resource-level permissions; it only reads which VPC a subnet is in',
      );
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${anyResource.join('. ')}.`,
    });
  }
}

/**
 * The streams of the configured log groups, in every account a source's cluster is in (a task logs
 * to its own account), any region (`awslogs-region` may name another): `…:log-group:/ecs/batch-*:log-stream:*`.
 */
function logStreamArns(config: DeployConfig): string[] {
  const groupsIn = [
    ...new Set(
      config.sources.map((s) => {
        const { partition, account } = parseClusterArn(s.clusterArn);
        return `arn:${partition}:logs:*:${account}`;
      }),
    ),
  ];
  return groupsIn.flatMap((prefix) =>
    config.logGroups.map((group) => `${prefix}:log-group:${group}:log-stream:*`),
  );
}

function secureQueue(scope: Construct, id: string, props: ConstructorParameters<typeof Queue>[2]): Queue {
  return new Queue(scope, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
}
