import { App, Stack } from 'aws-cdk-lib';
import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, test } from 'vitest';
import { retryHorizonSeconds } from '../../lambda/domain/delivery/retry.js';
import { parseDeployConfig } from '../../lib/deploy-config.js';
import { EcsTaskNotifier } from '../../lib/ecs-task-notifier.js';
import { logicalIdOf, type Synthesized, synthNotifier, TWO_VPCS } from './synth.js';

const ALARM_TOPIC = 'arn:aws:sns:us-east-1:123456789012:ops-alarms';
const DAY = 24 * 3600;

describe('the notifier stack keeping what it cannot deliver', () => {
  let synth: Synthesized;
  let template: Template;
  let queueId: string;
  let dlqId: string;
  beforeAll(() => {
    synth = synthNotifier({
      ...TWO_VPCS,
      sources: [
        TWO_VPCS.sources[0],
        { label: 'all', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/all' },
      ],
    });
    template = synth.template;
    queueId = logicalIdOf(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() });
    dlqId = logicalIdOf(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.absent() });
  });

  test('has two queues, both encrypted, both refusing every request that is not over TLS', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues).sort()).toEqual([dlqId, queueId].sort());
    for (const id of Object.keys(queues)) {
      expect(queues[id]?.Properties.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  test('retries a failing event 20 times, then moves it to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 20 },
      VisibilityTimeout: 360,
    });
  });

  test("ends the handler's growing waits (about 26 h over 20 receives) well inside the queue's 4 days", () => {
    const horizon = retryHorizonSeconds(20);
    expect(horizon / 3600).toBeGreaterThan(24);
    expect(horizon).toBeLessThan((4 * DAY) / 2);
  });

  test('refuses a maxReceiveCount whose waits would outlast the queue, so no event expires unseen', () => {
    const app = new App();
    expect(
      () =>
        new EcsTaskNotifier(new Stack(app, 'Long'), 'Notifier', {
          config: parseDeployConfig(TWO_VPCS),
          maxReceiveCount: 40,
        }),
    ).toThrow(/maxReceiveCount 40 retries an event for \d+ h, too close to the queue's 4-day retention/);
  });

  test('keeps a dead letter longer than the queue keeps an event, as SQS counts from the first arrival', () => {
    const retention = (id: string) => template.toJSON().Resources[id].Properties.MessageRetentionPeriod;

    expect(retention(queueId)).toBe(4 * DAY);
    expect(retention(dlqId)).toBe(14 * DAY);
  });

  test('sends what EventBridge cannot put on the queue to the same dead-letter queue, after 24 h of retries', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule.Properties.Targets).toEqual([
        {
          Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          Id: expect.any(String),
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        },
      ]);
    }
  });

  // start-message-move-task takes only "queues that are configured as dead-letter queues (DLQs) of other
  // Amazon SQS queues" (SQS API reference, StartMessageMoveTask): the event queue makes this one such.
  test('can redrive every dead letter with start-message-move-task, the dead-letter queue being the event queue DLQ', () => {
    const outputs = template.toJSON().Outputs;

    expect(outputs.DeadLetterQueueArn.Value).toEqual({ 'Fn::GetAtt': [dlqId, 'Arn'] });
    expect(outputs.EventQueueArn.Value).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(outputs.DeadLetterQueueUrl.Value).toEqual({ Ref: dlqId });
    expect(outputs.EventQueueUrl.Value).toEqual({ Ref: queueId });
  });

  test('lets EventBridge send to each queue from the notifier rules only, in one statement for all of them', () => {
    const ruleIds = Object.keys(template.findResources('AWS::Events::Rule')).sort();
    for (const id of [queueId, dlqId]) {
      const sourceArns = new Capture();
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'TaskEventRules',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': [id, 'Arn'] },
              Condition: { ArnEquals: { 'aws:SourceArn': sourceArns } },
            },
          ]),
        },
      });
      expect(
        sourceArns
          .asArray()
          .map((arn: { 'Fn::GetAtt': string[] }) => arn['Fn::GetAtt'][0])
          .sort(),
      ).toEqual(ruleIds);
    }
  });
});

describe('the notifier alarms', () => {
  test('alarm on dead letters, function errors and queue age, telling the configured topic', () => {
    const { template } = synthNotifier({ ...TWO_VPCS, alarmTopicArn: ALARM_TOPIC });

    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.map((a) => `${a.Namespace} ${a.MetricName}`).sort()).toEqual([
      'AWS/Lambda Errors',
      'AWS/SQS ApproximateAgeOfOldestMessage',
      'AWS/SQS ApproximateNumberOfMessagesVisible',
    ]);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        AlarmActions: [ALARM_TOPIC],
        OKActions: [ALARM_TOPIC],
        TreatMissingData: 'notBreaching',
      });
    }
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('tell a topic of their own when none is configured, subscribed by alarmEmail', () => {
    const { template } = synthNotifier({ ...TWO_VPCS, alarmEmail: 'ops@example.com' });

    const topicId = logicalIdOf(template, 'AWS::SNS::Topic', {});
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties).toMatchObject({
        AlarmActions: [{ Ref: topicId }],
        OKActions: [{ Ref: topicId }],
      });
    }
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topicId },
    });
    expect(template.toJSON().Outputs.AlarmTopicArn.Value).toEqual({ Ref: topicId });
  });

  test('create a topic without a subscription when no alarmEmail is given', () => {
    const { template } = synthNotifier(TWO_VPCS);

    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('publish through a topic that takes TLS only, and CloudWatch alarms of its own account only', () => {
    const { template } = synthNotifier(TWO_VPCS);

    const topicId = logicalIdOf(template, 'AWS::SNS::Topic', {});
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topicId },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ]),
      },
    });
  });
});
