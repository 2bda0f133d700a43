import { describe, expect, it } from 'vitest';
import { parseNotifierConfig } from '../../../lambda/domain/config.js';

describe('parseNotifierConfig', () => {
  it('fills defaults: STOPPED only, every outcome, a digest above 5 stops', () => {
    expect(parseNotifierConfig({})).toMatchObject({
      sources: [],
      notifyOn: ['STOPPED'],
      ignoreGroups: [],
      outcomes: ['succeeded', 'failed', 'stopped', 'in-progress'],
      digestThreshold: 5,
    });
  });

  it.each([
    [
      {
        sources: [
          { label: 'a', clusterArn: 'arn:aws:ecs:eu-west-1:1:cluster/a' },
          { label: 'b', clusterArn: 'batch-b' },
        ],
      },
      'ecsTaskNotifier.sources[1].clusterArn expected an ECS cluster ARN, got "batch-b"',
    ],
    [
      { sources: [{ clusterArn: 'arn:aws:ecs:eu-west-1:1:cluster/a' }] },
      'ecsTaskNotifier.sources[0].label is required',
    ],
    [{ notifyOn: ['STOPED'] }, 'ecsTaskNotifier.notifyOn[0] expected one of'],
    [{ sources: [], colour: 'red' }, 'ecsTaskNotifier has unknown key "colour"'],
    [{ digestThreshold: 0 }, 'ecsTaskNotifier.digestThreshold is too small (minimum 1)'],
    [
      { slackWebhookSecretArn: 'https://hooks.slack.com/x' },
      'ecsTaskNotifier.slackWebhookSecretArn expected a Secrets Manager secret ARN',
    ],
    [
      { sources: [{ label: 'a', clusterArn: 'arn:aws:ecs:eu-west-1:1:cluster/a', vpcId: 'vpc-XYZ' }] },
      'ecsTaskNotifier.sources[0].vpcId expected a VPC ID like "vpc-0abc1234", got "vpc-XYZ"',
    ],
  ])('names the key and the problem for %j', (input, message) => {
    expect(() => parseNotifierConfig(input, 'ecsTaskNotifier')).toThrow(message);
  });
});
