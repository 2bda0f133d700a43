import { RegionInfo } from 'aws-cdk-lib/region-info';
import { describe, expect, it } from 'vitest';
import { parseNotifierConfig } from '../../../../lambda/domain/config/config.js';
import { taskFrom } from '../../../support/reports.js';

const A = 'arn:aws:ecs:eu-west-1:111122223333:cluster/a';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecs-task-notifier/slack-webhook-AbCdEf';

/** The one-line message for `input`, as `replay --config`, the Lambda and synth all get it. */
function problemOf(input: unknown): string {
  try {
    parseNotifierConfig(input, 'ecsTaskNotifier');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseNotifierConfig', () => {
  it('fills defaults: STOPPED only, every outcome, a digest above 5 stops', () => {
    expect(parseNotifierConfig({})).toMatchObject({
      sources: [],
      notifyOn: ['STOPPED'],
      ignoreGroups: [],
      outcomes: ['succeeded', 'failed', 'stopped', 'in-progress'],
      digestThreshold: 5,
      successes: 'line',
    });
  });

  it('takes how successes are shown, at the top level and per route', () => {
    const config = parseNotifierConfig({
      successes: 'card',
      routes: [{ name: 'quiet', webhookSecretArn: SECRET, successes: 'none' }],
    });
    expect(config.successes).toBe('card');
    expect(config.routes[0]?.successes).toBe('none');
  });

  it.each([
    [
      {
        sources: [
          { label: 'a', clusterArn: A },
          { label: 'b', clusterArn: 'batch-b' },
        ],
      },
      'ecsTaskNotifier.sources[1].clusterArn expected an ECS cluster ARN, got "batch-b"',
    ],
    [{ sources: [{ clusterArn: A }] }, 'ecsTaskNotifier.sources[0].label is required'],
    [{ notifyOn: ['STOPED'] }, 'ecsTaskNotifier.notifyOn[0] expected one of'],
    [{ sources: [], colour: 'red' }, 'ecsTaskNotifier has unknown key "colour"'],
    [{ digestThreshold: 0 }, 'ecsTaskNotifier.digestThreshold is too small (minimum 1)'],
    [{ successes: 'cards' }, 'ecsTaskNotifier.successes expected one of "card", "line", "none", got "cards"'],
    [
      { slackWebhookSecretArn: 'https://hooks.slack.com/x' },
      'ecsTaskNotifier.slackWebhookSecretArn expected a Secrets Manager secret ARN',
    ],
    [
      { sources: [{ label: 'a', clusterArn: A, vpcId: 'vpc-XYZ' }] },
      'ecsTaskNotifier.sources[0].vpcId expected a VPC ID like "vpc-0abc1234", got "vpc-XYZ"',
    ],
  ])('names the key and the problem for %j', (input, message) => {
    expect(() => parseNotifierConfig(input, 'ecsTaskNotifier')).toThrow(message);
  });
});

describe('a configured cluster ARN', () => {
  it.each(['XXXXXXXXXXXX', '123', '***', '1111222233334'])('is refused with the account %j', (account) => {
    const clusterArn = `arn:aws:ecs:eu-west-1:${account}:cluster/b`;

    expect(
      problemOf({
        sources: [
          { label: 'a', clusterArn: A },
          { label: 'b', clusterArn },
        ],
      }),
    ).toBe(
      `ecsTaskNotifier.sources[1].clusterArn expected a 12-digit account ID in the cluster ARN, got "${clusterArn}"`,
    );
  });

  it('is refused when its region is not in its partition', () => {
    const clusterArn = 'arn:aws:ecs:cn-north-1:111122223333:cluster/b';

    expect(problemOf({ sources: [{ label: 'b', clusterArn }] })).toBe(
      `ecsTaskNotifier.sources[0].clusterArn expected partition "aws-cn" for region cn-north-1 in the cluster ARN, got "${clusterArn}"`,
    );
  });

  it('is refused when its region is not a region', () => {
    const clusterArn = 'arn:aws:ecs:europe:111122223333:cluster/b';

    expect(problemOf({ sources: [{ label: 'b', clusterArn }] })).toBe(
      `ecsTaskNotifier.sources[0].clusterArn expected an AWS region like "us-east-1" in the cluster ARN, got "${clusterArn}"`,
    );
  });

  it('is accepted in every region aws-cdk-lib knows, under that region partition', () => {
    const refused = RegionInfo.regions.flatMap(({ name, partition }) => {
      const clusterArn = `arn:${partition}:ecs:${name}:111122223333:cluster/a`;
      try {
        parseNotifierConfig({ sources: [{ label: 'a', clusterArn }] });
        return [];
      } catch (error) {
        return [(error as Error).message];
      }
    });

    expect(RegionInfo.regions.length).toBeGreaterThan(30);
    expect(refused).toEqual([]);
  });
});

describe('task events, unlike the configuration', () => {
  it('still parse with masked accounts', () => {
    expect(taskFrom('us-gov-failed-to-start').account).toBe('123');
    expect(taskFrom('aws-cn-scheduler-stopped').account).toBe('XXXXXXXXXXXX');
  });
});

describe('the webhook secret ARN', () => {
  it('is accepted when complete', () => {
    expect(parseNotifierConfig({ slackWebhookSecretArn: SECRET }).slackWebhookSecretArn).toBe(SECRET);
  });

  it.each([
    [
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecs-task-notifier/slack-webhook',
      'expected the complete secret ARN, ending in the 6-character suffix Secrets Manager adds (e.g. "-AbCdEf")',
    ],
    [
      'arn:aws:secretsmanager:eu-west-1:XXXXXXXXXXXX:secret:slack-AbCdEf',
      'expected a 12-digit account ID in the secret ARN',
    ],
    [
      'arn:aws:secretsmanager:us-gov-west-1:111122223333:secret:slack-AbCdEf',
      'expected partition "aws-us-gov" for region us-gov-west-1 in the secret ARN',
    ],
    [
      'arn:aws:secretsmanager:ireland:111122223333:secret:slack-AbCdEf',
      'expected an AWS region like "us-east-1" in the secret ARN',
    ],
    ['arn:aws:ssm:eu-west-1:111122223333:parameter/slack-AbCdEf', 'expected a Secrets Manager secret ARN'],
  ])('%s is refused on one line naming the key', (slackWebhookSecretArn, problem) => {
    const message = problemOf({ slackWebhookSecretArn });
    const start = `ecsTaskNotifier.slackWebhookSecretArn ${problem}, got "arn:`;

    // The value shown after "got" is shortened when long.
    expect(message.slice(0, start.length)).toBe(start);
    expect(message).not.toContain('\n');
  });
});

describe('app mode: channels and the bot token', () => {
  const TOKEN_SECRET =
    'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecs-task-notifier/slack-bot-AbCdEf';

  it('takes a bot token secret, a default channel, and routes that post to a channel or a webhook', () => {
    const config = parseNotifierConfig({
      slackBotTokenSecretArn: TOKEN_SECRET,
      slackChannel: 'C0DEFAULT1',
      routes: [
        { name: 'oncall', channel: 'C0ONCALL1' },
        { name: 'batch', webhookSecretArn: SECRET },
      ],
    });
    expect(config).toMatchObject({ slackBotTokenSecretArn: TOKEN_SECRET, slackChannel: 'C0DEFAULT1' });
    expect(config.routes.map((r) => r.channel ?? r.webhookSecretArn)).toEqual(['C0ONCALL1', SECRET]);
  });

  it.each([
    [
      { routes: [{ name: 'oncall' }] },
      'ecsTaskNotifier.routes[0].webhookSecretArn is required, or channel: a route posts to a webhook (the secret holding its URL) or, with slackBotTokenSecretArn, to a channel by ID',
    ],
    [
      { routes: [{ name: 'oncall', channel: 'C0ONCALL1', webhookSecretArn: SECRET }] },
      'ecsTaskNotifier.routes[0].channel must not be given with webhookSecretArn: a route posts one way, to a channel or a webhook, got "C0ONCALL1"',
    ],
    [
      { slackChannel: 'C0DEFAULT1', slackWebhookSecretArn: SECRET },
      'ecsTaskNotifier.slackChannel must not be given with slackWebhookSecretArn',
    ],
    [
      { routes: [{ name: 'oncall', channel: '#oncall' }] },
      'ecsTaskNotifier.routes[0].channel expected a channel ID like "C0123456789", not its name',
    ],
    [
      { slackChannel: 'U024BE7LH' },
      'ecsTaskNotifier.slackChannel expected a Slack channel ID like "C0123456789"',
    ],
    [
      { slackBotTokenSecretArn: 'xoxb-1-2-abc' },
      'ecsTaskNotifier.slackBotTokenSecretArn expected a Secrets Manager secret ARN',
    ],
  ])('names the key and the problem for %j', (input, message) => {
    expect(problemOf(input)).toContain(message);
  });

  it("never repeats a token or a webhook URL given where its secret's ARN belongs", () => {
    const token = problemOf({ slackBotTokenSecretArn: 'xoxb-1111-2222-secretpart' });
    expect(token).toBe(
      'ecsTaskNotifier.slackBotTokenSecretArn expected a Secrets Manager secret ARN, got a Slack token (xoxb-…)',
    );
    const url = problemOf({ slackWebhookSecretArn: 'https://hooks.slack.com/services/T0/B0/secretpart' });
    expect(url).toBe(
      'ecsTaskNotifier.slackWebhookSecretArn expected a Secrets Manager secret ARN, got a Slack webhook URL',
    );
  });
});
