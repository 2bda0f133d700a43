import { App, Duration, Stack } from 'aws-cdk-lib';
import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseDeployConfig } from '../../lib/deploy-config.js';
import { EcsTaskNotifier } from '../../lib/ecs-task-notifier.js';
import { logicalIdOf, type Synthesized, synthNotifier, TWO_VPCS } from './synth.js';

const ALARM_TOPIC = 'arn:aws:sns:us-east-1:123456789012:ops-alarms';
const SECRET = TWO_VPCS.slackWebhookSecretArn;

/** The statements of the function role's policy. */
function functionStatements(synth: Synthesized): unknown[] {
  const stack = synth.notifier;
  const roleId = stack.getLogicalId(synth.notifier.notifier.function.role?.node.defaultChild as CfnRole);
  const policies = Object.values(synth.template.findResources('AWS::IAM::Policy')).filter((p) =>
    JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`),
  );
  expect(policies).toHaveLength(1);
  return policies[0]?.Properties.PolicyDocument.Statement;
}

describe('the notifier stack for two clusters in two VPCs', () => {
  let synth: Synthesized;
  let template: Template;
  beforeAll(() => {
    synth = synthNotifier({ ...TWO_VPCS, alarmTopicArn: ALARM_TOPIC });
    template = synth.template;
  });

  test('has one rule matching stopped tasks of both clusters in their subnets, services ignored', () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: {
          clusterArn: TWO_VPCS.sources.map((s) => s.clusterArn),
          lastStatus: ['STOPPED'],
          $or: [{ group: [{ exists: false }] }, { group: [{ 'anything-but': { prefix: 'service:' } }] }],
          attachments: { details: { value: ['subnet-0a1', 'subnet-0a2', 'subnet-0b1'] } },
        },
      },
    });
  });

  test('keeps a queued event invisible for at least six times the function timeout', () => {
    const visibility = new Capture();
    const timeout = new Capture();
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.anyValue(),
      VisibilityTimeout: visibility,
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: timeout });

    expect(visibility.asNumber()).toBeGreaterThanOrEqual(6 * timeout.asNumber());
  });

  test('reads the queue in batches of up to 1,000 gathered for 5 s, reporting item failures, at most 2 at once', () => {
    const queueId = logicalIdOf(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 5,
    });
  });

  test('takes batchSize and batchWindowSeconds from the configuration', () => {
    const custom = synthNotifier({ ...TWO_VPCS, batchSize: 200, batchWindowSeconds: 2 }).template;
    custom.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 200,
      MaximumBatchingWindowInSeconds: 2,
    });
  });

  test('runs the function on Node.js 22 or newer, arm64, with explicit memory and timeout', () => {
    const runtime = new Capture();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: runtime,
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 60,
      Handler: 'index.handler',
    });
    expect(Number(/^nodejs(\d+)\.x$/.exec(runtime.asString())?.[1])).toBeGreaterThanOrEqual(22);
  });

  test('keeps the environment small: the configuration ships in the code, no secret in a variable', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectEquals({
          IDEMPOTENCY_TABLE_NAME: { Ref: Match.anyValue() },
          // The event queue, where failed records are held back for growing waits.
          EVENT_QUEUE_URL: { Ref: Match.stringLikeRegexp('EventQueue') },
          SLACK_RATE_PER_SECOND: '0.5',
          POWERTOOLS_SERVICE_NAME: 'ecs-task-notifier',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
  });

  test('lets the function read exactly the webhook secrets the configuration names, routes included', () => {
    const alerts = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack/alerts-Al3rts';
    const routed = synthNotifier({
      ...TWO_VPCS,
      routes: [
        { name: 'alerts', webhookSecretArn: alerts, match: { outcomes: ['failed'] } },
        { name: 'batch-a', webhookSecretArn: SECRET, match: { sources: ['batch-a'] } },
      ],
    });
    const secrets = (functionStatements(routed) as { Sid?: string }[]).find(
      (s) => s.Sid === 'ReadSlackSecrets',
    );
    expect(secrets).toEqual({
      Sid: 'ReadSlackSecrets',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: [alerts, SECRET].sort(),
    });
  });

  test('lets the function read the bot token secret too, exactly, when routes post to channels', () => {
    const bot = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack/bot-B0tT0k';
    const mixed = synthNotifier({
      ...TWO_VPCS,
      slackBotTokenSecretArn: bot,
      routes: [{ name: 'oncall', channel: 'C0ONCALL1', match: { outcomes: ['failed'] } }],
    });
    const secrets = (functionStatements(mixed) as { Sid?: string; Resource?: unknown }[]).find(
      (s) => s.Sid === 'ReadSlackSecrets',
    );
    expect(secrets?.Resource).toEqual([bot, SECRET].sort());
  });

  test('writes the function logs to a log group kept 30 days', () => {
    const logGroupId = logicalIdOf(template, 'AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: logGroupId } },
    });
  });

  test('keeps idempotency records in an on-demand table with TTL and point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  // With `@aws-cdk/aws-iam:minimizePolicies` (cdk.json) CDK sorts actions and resources.
  test('grants the function its logs, DescribeTasks on the two clusters, the secret, the table, task definitions and the queue only', () => {
    const tableId = logicalIdOf(template, 'AWS::DynamoDB::Table', {});
    const queueId = logicalIdOf(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() });
    const logGroupId = logicalIdOf(template, 'AWS::Logs::LogGroup', {});

    expect(functionStatements(synth)).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
      },
      {
        Sid: 'ReadSlackSecrets',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: SECRET,
      },
      {
        Sid: 'DescribeConfiguredTasks',
        Effect: 'Allow',
        Action: 'ecs:DescribeTasks',
        Resource: [
          'arn:aws:ecs:us-east-1:123456789012:task/batch-a/*',
          'arn:aws:ecs:us-east-1:123456789012:task/batch-b/*',
        ],
      },
      {
        Sid: 'IdempotencyRecords',
        Effect: 'Allow',
        Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
      },
      { Sid: 'ReadTaskDefinitions', Effect: 'Allow', Action: 'ecs:DescribeTaskDefinition', Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      },
    ]);
  });

  test('lets the function role be assumed by Lambda only, with no managed policies', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } },
        ],
      },
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('uses no wildcard action in any IAM policy', () => {
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      policy.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => s.Action),
    );
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).not.toContain('*');
  });

  test('raises the queue-age alarm when the oldest event has waited over 15 minutes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  test('holds no webhook URL', () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/hooks\.slack\.com/);
    expect(text).not.toContain('SLACK_WEBHOOK_URL');
  });

  test('is environment-agnostic without account and region, so synth needs no credentials', () => {
    expect(Stack.of(synth.notifier).environment).toBe('aws://unknown-account/unknown-region');
    expect(synth.forwarders).toEqual([]);
  });
});

describe('the notifier stack ignoring two group prefixes', () => {
  test('leaves groups to the Lambda: its rule has no group condition', () => {
    const { template } = synthNotifier({ ...TWO_VPCS, ignoreGroups: ['service:', 'family:warmup'] });

    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        detail: {
          clusterArn: TWO_VPCS.sources.map((s) => s.clusterArn),
          lastStatus: ['STOPPED'],
          group: Match.absent(),
          $or: Match.absent(),
        },
      },
    });
  });
});

describe('the notifier stack with many instances', () => {
  test('paces each instance at its share of Slack 1 message a second', () => {
    const { template } = synthNotifier({ ...TWO_VPCS, maxConcurrency: 27 });

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { SLACK_RATE_PER_SECOND: '0.037' } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 27 },
    });
  });

  test('refuses a maxConcurrency whose pace does not fit a shorter function timeout', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const config = parseDeployConfig({ ...TWO_VPCS, maxConcurrency: 13 });

    expect(
      () =>
        new EcsTaskNotifier(new Stack(app, 'Short'), 'Notifier', { config, timeout: Duration.seconds(30) }),
    ).toThrow(
      "ecsTaskNotifier.maxConcurrency: at most 12 fits the function's 30 s timeout, got 13: each instance would send one message every 13.7 s, too slow to send 2 in one invocation, so pacing alone could push events to the dead-letter queue",
    );
  });
});

describe('the notifier stack for two VPCs sharing one cluster, told apart by vpcId', () => {
  let synth: Synthesized;
  beforeAll(() => {
    const clusterArn = 'arn:aws:ecs:us-east-1:123456789012:cluster/shared';
    synth = synthNotifier({
      ...TWO_VPCS,
      sources: [
        { label: 'vpc-a', clusterArn, vpcId: 'vpc-0aaa' },
        { label: 'vpc-b', clusterArn, vpcId: 'vpc-0bbb' },
      ],
    });
  });

  test('grants ec2:DescribeSubnets, which takes no resource, to look up a subnet VPC', () => {
    expect(functionStatements(synth)).toContainEqual({
      Sid: 'LookUpSubnetVpc',
      Effect: 'Allow',
      Action: 'ec2:DescribeSubnets',
      Resource: '*',
    });
  });

  test('matches the shared cluster once, without a subnet filter', () => {
    synth.template.resourceCountIs('AWS::Events::Rule', 1);
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        detail: {
          clusterArn: ['arn:aws:ecs:us-east-1:123456789012:cluster/shared'],
          attachments: Match.absent(),
        },
      },
    });
  });
});

describe('the notifier stack with clusters in another region and another account', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthNotifier({
      ...TWO_VPCS,
      account: '123456789012',
      region: 'us-east-1',
      sources: [
        ...TWO_VPCS.sources,
        { label: 'eu', clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/batch-eu' },
        { label: 'partner', clusterArn: 'arn:aws:ecs:eu-west-1:210987654321:cluster/partner' },
      ],
      logGroups: ['/ecs/batch-*', '/ecs/report'],
    });
  });

  test('grants logs:GetLogEvents on the streams of the logGroups only, in its own account and its clusters regions', () => {
    expect(functionStatements(synth)).toContainEqual({
      Sid: 'ReadTaskLogTails',
      Effect: 'Allow',
      Action: 'logs:GetLogEvents',
      Resource: [
        'arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/batch-*:log-stream:*',
        'arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/report:log-stream:*',
        'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/batch-*:log-stream:*',
        'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/report:log-stream:*',
      ],
    });
  });

  test('grants DescribeTasks on its own account clusters only: its role can describe no other account tasks', () => {
    expect(functionStatements(synth)).toContainEqual(
      expect.objectContaining({
        Sid: 'DescribeConfiguredTasks',
        Resource: [
          'arn:aws:ecs:eu-west-1:123456789012:task/batch-eu/*',
          'arn:aws:ecs:us-east-1:123456789012:task/batch-a/*',
          'arn:aws:ecs:us-east-1:123456789012:task/batch-b/*',
        ],
      }),
    );
  });
});

describe('the notifier stack reading log tails', () => {
  test('grants no logs:GetLogEvents without logGroups', () => {
    const synth = synthNotifier(TWO_VPCS);

    expect(JSON.stringify(functionStatements(synth))).not.toContain('logs:GetLogEvents');
  });
});

describe('the notifier stack for the committed two-VPC example told apart by subnets', () => {
  test('does not grant ec2:DescribeSubnets', () => {
    const synth = synthNotifier(TWO_VPCS);

    expect(JSON.stringify(functionStatements(synth))).not.toContain('ec2:');
  });
});
