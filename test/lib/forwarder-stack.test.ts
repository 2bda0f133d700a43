import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, test } from 'vitest';
import { forwardedSources } from '../../lib/forwarded-sources.js';
import { ForwardedEventsBusPolicy } from '../../lib/forwarder-stack.js';
import { committedFeatureFlags, type Synthesized, synthNotifier, TWO_VPCS } from './synth.js';

const HOME = 'arn:aws:ecs:us-east-1:123456789012:cluster/batch-a';
const OTHER_REGION = 'arn:aws:ecs:eu-west-1:123456789012:cluster/batch-eu';
const OTHER_ACCOUNT = 'arn:aws:ecs:us-east-1:210987654321:cluster/batch-b';
const NOTIFIER_BUS = 'arn:aws:events:us-east-1:123456789012:event-bus/default';

const SPREAD = {
  ...TWO_VPCS,
  alarmEmail: 'ops@example.com',
  account: '123456789012',
  region: 'us-east-1',
  sources: [
    { label: 'home', clusterArn: HOME },
    { label: 'eu', clusterArn: OTHER_REGION },
    { label: 'partner', clusterArn: OTHER_ACCOUNT, subnetIds: ['subnet-0c1'] },
  ],
};

describe('forwardedSources', () => {
  test('groups the clusters outside the notifier account and region', () => {
    expect(forwardedSources(SPREAD).map((g) => [g.account, g.region, g.sources.map((s) => s.label)])).toEqual(
      [
        ['123456789012', 'eu-west-1', ['eu']],
        ['210987654321', 'us-east-1', ['partner']],
      ],
    );
  });

  test('forwards nothing when the notifier account and region are not configured', () => {
    expect(forwardedSources({ sources: SPREAD.sources })).toEqual([]);
  });
});

describe('clusters in another region and another account', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthNotifier(SPREAD);
  });

  test('pins the notifier stack to the configured account and region', () => {
    expect(synth.notifier.environment).toBe('aws://123456789012/us-east-1');
  });

  test('adds one forwarder stack where each of those clusters lives', () => {
    expect(synth.forwarders.map((s) => s.environment)).toEqual([
      'aws://123456789012/eu-west-1',
      'aws://210987654321/us-east-1',
    ]);
  });

  test('forwards the same filtered task events to the notifier bus, with a dead-letter queue', () => {
    const template = Template.fromStack(synth.forwarders[1] as NonNullable<(typeof synth.forwarders)[1]>);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: {
          clusterArn: [OTHER_ACCOUNT],
          lastStatus: ['STOPPED'],
          $or: [{ group: [{ exists: false }] }, { group: [{ 'anything-but': { prefix: 'service:' } }] }],
          attachments: { details: { value: ['subnet-0c1'] } },
        },
      },
      Targets: [
        Match.objectLike({
          Arn: NOTIFIER_BUS,
          RoleArn: Match.anyValue(),
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: NOTIFIER_BUS }],
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  test('lets only the other account put ECS task state changes on the notifier default bus', () => {
    synth.template.resourceCountIs('AWS::Events::EventBusPolicy', 1);
    synth.template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      StatementId: 'EcsTaskEventsFromForwarders',
      Statement: {
        Effect: 'Allow',
        // The stack's region is known, so `@aws-cdk/core:enablePartitionLiterals` (cdk.json) writes `aws`.
        Principal: { AWS: 'arn:aws:iam::210987654321:root' },
        Action: 'events:PutEvents',
        Resource: NOTIFIER_BUS,
        Condition: {
          'ForAllValues:StringEquals': { 'events:source': ['aws.ecs'] },
          StringEquals: { 'events:detail-type': 'ECS Task State Change' },
        },
      },
    });
  });

  test('alarms on what it could not forward through a topic of its own account and region', () => {
    const template = Template.fromStack(synth.forwarders[1] as NonNullable<(typeof synth.forwarders)[1]>);

    const topic = Object.keys(template.findResources('AWS::SNS::Topic'));
    expect(topic).toHaveLength(1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      AlarmActions: [{ Ref: topic[0] }],
      OKActions: [{ Ref: topic[0] }],
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    template.hasOutput('ForwardDeadLetterQueueUrl', { Value: { Ref: Match.anyValue() } });
  });

  test('still matches the forwarded events on the notifier bus, by cluster', () => {
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: { clusterArn: [HOME, OTHER_REGION] } },
    });
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: { clusterArn: [OTHER_ACCOUNT] } },
    });
  });
});

describe("reading another account's task details", () => {
  let synth: Synthesized;
  const READER = 'arn:aws:iam::210987654321:role/ecs-task-notifier-reader-us-east-1-us-east-1';
  beforeAll(() => {
    synth = synthNotifier({ ...SPREAD, logGroups: ['/ecs/batch-*'] });
  });

  test("adds to the other account's forwarder a reader role only the notifier's function role may assume", () => {
    const partner = Template.fromStack(synth.forwarders[1] as NonNullable<(typeof synth.forwarders)[1]>);
    partner.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'ecs-task-notifier-reader-us-east-1-us-east-1',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::123456789012:root' },
            Condition: {
              ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/ecs-task-notifier-us-east-1' },
            },
          },
        ],
      },
    });
    const statements = Object.values(partner.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Sid?: string; Action: string; Resource: unknown }[],
    );
    expect(
      Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, [s.Action, s.Resource]])),
    ).toEqual({
      DescribeConfiguredTasks: ['ecs:DescribeTasks', 'arn:aws:ecs:us-east-1:210987654321:task/batch-b/*'],
      ReadTaskDefinitions: ['ecs:DescribeTaskDefinition', '*'],
      ReadTaskLogTails: [
        'logs:GetLogEvents',
        'arn:aws:logs:us-east-1:210987654321:log-group:/ecs/batch-*:log-stream:*',
      ],
    });
  });

  test('adds no reader role where the notifier reads with its own role (its account, another region)', () => {
    const eu = Template.fromStack(synth.forwarders[0] as NonNullable<(typeof synth.forwarders)[0]>);
    eu.resourcePropertiesCountIs('AWS::IAM::Role', { RoleName: Match.stringLikeRegexp('reader') }, 0);
  });

  test('gives the function role its fixed name and the right to assume exactly that reader role', () => {
    synth.template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'ecs-task-notifier-us-east-1' });
    synth.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AssumeReaderRoles', Action: 'sts:AssumeRole', Resource: READER }),
        ]),
      },
    });
  });
});

describe('the notifier bus policy for many accounts', () => {
  const accounts = Array.from({ length: 320 }, (_, i) => String(300000000000 + i));

  test('names every account in one statement', () => {
    const stack = new Stack(new App({ context: committedFeatureFlags() }), 'Bus', {
      env: { account: '123456789012', region: 'us-east-1' },
    });
    const { policy } = new ForwardedEventsBusPolicy(stack, 'Policy', {
      sourceAccounts: accounts.slice(0, 3),
    });

    expect(stack.resolve(policy.statement)).toMatchObject({
      Principal: { AWS: accounts.slice(0, 3).map((a) => `arn:aws:iam::${a}:root`) },
    });
  });

  test('refuses more accounts than fit EventBridge bus policy quota, naming organizationId', () => {
    const stack = new Stack(new App({ context: committedFeatureFlags() }), 'Bus', {
      env: { account: '123456789012', region: 'us-east-1' },
    });

    expect(() => new ForwardedEventsBusPolicy(stack, 'Policy', { sourceAccounts: accounts })).toThrow(
      /^ecsTaskNotifier\.organizationId: is needed: the notifier's default-bus policy naming 320 accounts is 1\d,\d{3} characters, over EventBridge's event bus policy size of 10,240; set "organizationId": "o-…"/,
    );
  });

  test('lets the whole organization in with one condition when organizationId is set', () => {
    const stack = new Stack(new App({ context: committedFeatureFlags() }), 'Bus', {
      env: { account: '123456789012', region: 'us-east-1' },
    });
    const { policy } = new ForwardedEventsBusPolicy(stack, 'Policy', {
      sourceAccounts: accounts,
      organizationId: 'o-a1b2c3d4e5',
    });

    expect(stack.resolve(policy.statement)).toEqual({
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: 'arn:aws:events:us-east-1:123456789012:event-bus/default',
      Condition: {
        'ForAllValues:StringEquals': { 'events:source': ['aws.ecs'] },
        StringEquals: { 'events:detail-type': 'ECS Task State Change', 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
      },
    });
  });
});
