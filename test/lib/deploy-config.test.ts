import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseNotifierConfig } from '../../lambda/domain/config/config.js';
import { ValidationError } from '../../lambda/domain/config/validation.js';
import { logTailHint, parseDeployConfig, readDeployConfig } from '../../lib/deploy-config.js';
import { problemOf, TWO_VPCS } from './synth.js';

const BOT = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-task-notifier/slack-bot-AbCdEf';

describe('parseDeployConfig', () => {
  test('accepts two sources in two VPCs and fills in the defaults', () => {
    const config = parseDeployConfig(TWO_VPCS);

    expect(config.sources.map((s) => s.label)).toEqual(['batch-a', 'batch-b']);
    expect(config).toMatchObject({ maxConcurrency: 2, logRetentionDays: 30, digestThreshold: 5 });
  });

  test('names the key and the problem of a bad cluster ARN on one line', () => {
    const input = { ...TWO_VPCS, sources: [TWO_VPCS.sources[0], { label: 'b', clusterArn: 'batch-b' }] };

    expect(problemOf(() => parseDeployConfig(input))).toBe(
      'ecsTaskNotifier.sources[1].clusterArn: expected an ECS cluster ARN, got "batch-b"',
    );
  });

  test('requires the webhook secret, which replay does not', () => {
    const { slackWebhookSecretArn: _, ...withoutSecret } = TWO_VPCS;

    expect(problemOf(() => parseDeployConfig(withoutSecret))).toMatch(
      /^ecsTaskNotifier\.slackWebhookSecretArn: is required/,
    );
  });

  test('requires the complete secret ARN, whose suffix IAM needs to match', () => {
    const input = {
      ...TWO_VPCS,
      slackWebhookSecretArn:
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-task-notifier/slack-webhook',
    };

    expect(problemOf(() => parseDeployConfig(input))).toMatch(
      /^ecsTaskNotifier\.slackWebhookSecretArn: expected the complete secret ARN/,
    );
  });

  test('refuses the incomplete secret ARN with the same line replay --config prints', () => {
    const input = {
      ...TWO_VPCS,
      slackWebhookSecretArn:
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-task-notifier/slack-webhook',
    };
    const replay = (() => {
      try {
        parseNotifierConfig(input, 'ecsTaskNotifier');
      } catch (error) {
        return error instanceof ValidationError ? error : undefined;
      }
    })();

    expect(replay?.field).toBe('ecsTaskNotifier.slackWebhookSecretArn');
    expect(problemOf(() => parseDeployConfig(input))).toBe(
      `${replay?.field}:${replay?.message.slice(replay.field.length)}`,
    );
  });

  test('refuses a cluster whose account is masked, naming it', () => {
    const clusterArn = 'arn:aws:ecs:us-east-1:XXXXXXXXXXXX:cluster/batch-b';
    const input = { ...TWO_VPCS, sources: [TWO_VPCS.sources[0], { label: 'b', clusterArn }] };

    expect(problemOf(() => parseDeployConfig(input))).toBe(
      `ecsTaskNotifier.sources[1].clusterArn: expected a 12-digit account ID in the cluster ARN, got "${clusterArn}"`,
    );
  });

  test('refuses clusters in two partitions: one notifier serves one partition', () => {
    const input = {
      ...TWO_VPCS,
      sources: [
        TWO_VPCS.sources[0],
        { label: 'cn', clusterArn: 'arn:aws-cn:ecs:cn-north-1:123456789012:cluster/cn' },
      ],
    };

    expect(problemOf(() => parseDeployConfig(input))).toBe(
      'ecsTaskNotifier.sources[1].clusterArn: is in partition aws-cn, sources[0] in aws: events cannot cross partitions, so one notifier serves one partition',
    );
  });

  test('refuses a notifier region in another partition than its clusters', () => {
    const input = { ...TWO_VPCS, account: '123456789012', region: 'cn-north-1' };

    expect(problemOf(() => parseDeployConfig(input))).toBe(
      'ecsTaskNotifier.region: cn-north-1 is in partition aws-cn, the clusters in aws: events cannot cross partitions',
    );
  });

  test('refuses a secret in another partition than the clusters', () => {
    const slackWebhookSecretArn = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:slack-AbCdEf';

    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, slackWebhookSecretArn }))).toBe(
      'ecsTaskNotifier.slackWebhookSecretArn: is in partition aws-cn, the clusters in aws: the function can read secrets of its own partition only',
    );
  });

  test('takes app mode: a default channel and routes by channel, with the bot token secret', () => {
    const { slackWebhookSecretArn: _, ...withoutWebhook } = TWO_VPCS;
    const config = parseDeployConfig({
      ...withoutWebhook,
      slackBotTokenSecretArn: BOT,
      slackChannel: 'C0DEFAULT1',
      routes: [{ name: 'oncall', channel: 'C0ONCALL1', match: { outcomes: ['failed'] } }],
    });
    expect(config.slackChannel).toBe('C0DEFAULT1');
  });

  test.each([
    ['slackChannel', { slackChannel: 'C0DEFAULT1' }],
    [
      'routes[1].channel',
      {
        routes: [
          { name: 'hook', webhookSecretArn: BOT },
          { name: 'oncall', channel: 'C0ONCALL1' },
        ],
      },
    ],
  ])('requires the bot token secret when %s names a channel, naming both keys', (key, extra) => {
    const { slackWebhookSecretArn: _, ...withoutWebhook } = TWO_VPCS;
    expect(problemOf(() => parseDeployConfig({ ...withoutWebhook, ...extra }))).toBe(
      `ecsTaskNotifier.slackBotTokenSecretArn: is required when ${key} names a channel: the ARN of the Secrets Manager secret holding the Slack app's bot token (xoxb-…), which posts to channels`,
    );
  });

  test('refuses a bot token secret in another partition than the clusters', () => {
    const slackBotTokenSecretArn =
      'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:slack-bot-AbCdEf';
    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, slackBotTokenSecretArn }))).toMatch(
      /^ecsTaskNotifier\.slackBotTokenSecretArn: is in partition aws-cn/,
    );
  });

  test('refuses a maxConcurrency whose pace would leave an invocation unable to send two messages', () => {
    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, maxConcurrency: 28 }))).toBe(
      "ecsTaskNotifier.maxConcurrency: at most 27 fits the function's 60 s timeout, got 28: each instance would send one message every 29.2 s, too slow to send 2 in one invocation, so pacing alone could push events to the dead-letter queue",
    );
  });

  test('accepts 27 instances, whose pace still sends two messages inside a 60 s invocation', () => {
    expect(parseDeployConfig({ ...TWO_VPCS, maxConcurrency: 27 }).maxConcurrency).toBe(27);
  });

  test('refuses a batch over 10 events without a batching window, as SQS does', () => {
    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, batchSize: 11, batchWindowSeconds: 0 }))).toBe(
      'ecsTaskNotifier.batchWindowSeconds: must be at least 1 when batchSize is over 10 (SQS requires a batching window for batches over 10), got 0',
    );
    expect(parseDeployConfig({ ...TWO_VPCS, batchSize: 10, batchWindowSeconds: 0 }).batchSize).toBe(10);
  });

  test.each([
    [{ batchSize: 10_001 }, 'ecsTaskNotifier.batchSize: is too big (maximum 10000)'],
    [{ batchSize: 0 }, 'ecsTaskNotifier.batchSize: is too small (minimum 1)'],
    [{ batchWindowSeconds: 301 }, 'ecsTaskNotifier.batchWindowSeconds: is too big (maximum 300)'],
  ])('refuses batch settings SQS refuses: %o', (settings, problem) => {
    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, ...settings }))).toBe(problem);
  });

  test('requires at least one source', () => {
    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, sources: [] }))).toBe(
      'ecsTaskNotifier.sources: must list at least one cluster to deploy',
    );
  });

  test('accepts only retention periods CloudWatch Logs offers', () => {
    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, logRetentionDays: 10 }))).toMatch(
      /^ecsTaskNotifier\.logRetentionDays: expected one of 1, 3, 5, 7, 14, .*, got 10$/,
    );
  });

  test('requires the region when the account is set', () => {
    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, account: '123456789012' }))).toMatch(
      /^ecsTaskNotifier\.region: is required when account or region is set/,
    );
  });

  test('rejects an unknown key by name', () => {
    expect(problemOf(() => parseDeployConfig({ ...TWO_VPCS, webhookUrl: 'https://example.invalid' }))).toBe(
      'ecsTaskNotifier: has unknown key "webhookUrl"',
    );
  });
});

describe('readDeployConfig', () => {
  test('reads the context value as an object (cdk.json)', () => {
    expect(readDeployConfig({ inline: TWO_VPCS }).sources).toHaveLength(2);
  });

  test('reads the context value as JSON text (-c ecsTaskNotifier=…)', () => {
    expect(readDeployConfig({ inline: JSON.stringify(TWO_VPCS) }).sources).toHaveLength(2);
  });

  test('says so when the JSON text does not parse', () => {
    expect(problemOf(() => readDeployConfig({ inline: '{"sources": [' }))).toMatch(
      /^ecsTaskNotifier: is not valid JSON \(.+\)$/,
    );
  });

  test('reads a JSON file (-c ecsTaskNotifierFile=…) in preference to the inline value', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'deploy-config-')), 'notifier.json');
    writeFileSync(file, JSON.stringify({ ...TWO_VPCS, sources: [TWO_VPCS.sources[1]] }));

    expect(readDeployConfig({ inline: TWO_VPCS, file }).sources.map((s) => s.label)).toEqual(['batch-b']);
  });

  test('names the file that cannot be read', () => {
    expect(problemOf(() => readDeployConfig({ file: '/nonexistent/notifier.json' }))).toBe(
      'ecsTaskNotifierFile: cannot read "/nonexistent/notifier.json" (ENOENT)',
    );
  });

  test('asks for the configuration when none is given', () => {
    expect(problemOf(() => readDeployConfig({}))).toMatch(
      /^ecsTaskNotifier: is required: set it in cdk\.json/,
    );
  });
});

describe('logTailHint', () => {
  test('says, in one line naming the key, how to turn log tails on when no log group may be read', () => {
    const hint = logTailHint(parseDeployConfig(TWO_VPCS));

    expect(hint).toMatch(/^ecsTaskNotifier\.logGroups is empty: .*"logGroups": \["\/ecs\/batch-\*"\]$/);
    expect(hint).not.toContain('\n');
  });

  test('says nothing once logGroups names a group', () => {
    expect(logTailHint(parseDeployConfig({ ...TWO_VPCS, logGroups: ['/ecs/batch-*'] }))).toBeUndefined();
  });

  test('says nothing when every log tail is turned off', () => {
    expect(logTailHint(parseDeployConfig({ ...TWO_VPCS, logTail: false }))).toBeUndefined();
  });

  test('still speaks up when a source turns its own log tail on', () => {
    const sources = [{ ...TWO_VPCS.sources[0], logTail: { lines: 5 } }, TWO_VPCS.sources[1]];

    expect(logTailHint(parseDeployConfig({ ...TWO_VPCS, logTail: false, sources }))).toBeDefined();
  });
});
