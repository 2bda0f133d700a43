import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../local/http.js';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import { startEcs, toWire } from '../support/aws-stand-ins.js';
import { jsonLines, runCli } from '../support/cli.js';
import { fixturePath, loadEvent, loadFixture } from '../support/fixtures.js';
import { AWS_TEST_ENV } from '../support/handler-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'replay-test-'));
const write = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const failed = loadEvent('ec2-stopped-failed');

/** Gives an event a task ARN of its own. */
function withTaskId<T extends { detail: Record<string, unknown> }>(event: T, n: number): T {
  event.detail.taskArn = `arn:aws:ecs:eu-west-1:111122223333:task/batch-a/${String(n).padStart(32, '0')}`;
  return event;
}

/** No credentials anywhere the default chain looks. */
const NO_CREDENTIALS_ENV = {
  ...Object.fromEntries(
    [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_ENDPOINT_URL_ECS',
    ].map((key) => [key, undefined]),
  ),
  HOME: dir,
  AWS_EC2_METADATA_DISABLED: 'true',
};

let sink: SlackSink;
let ecs: RunningServer;

beforeAll(async () => {
  sink = await startSlackSink({ port: 0 });
  const saved = loadFixture<{ tasks: Record<string, unknown>[] }>('describe-tasks/cli-v2-fargate.json').tasks;
  ecs = await startEcs(saved.map(toWire));
});

afterAll(async () => {
  await Promise.all([sink?.close(), ecs?.close()]);
});

describe('replay --dry-run --json', () => {
  it('prints one JSON line per event with status, task, outcome, cross-check and the exact message', async () => {
    const { code, stdout } = await runCli([
      'replay',
      '--dry-run',
      '--json',
      fixturePath('events/fargate-stopped-succeeded.json'),
    ]);
    expect(code).toBe(0);
    const [line] = jsonLines(stdout);
    expect(line).toMatchObject({
      status: 'notified',
      reason: null,
      task: {
        family: 'nightly-report',
        revision: 42,
        lastStatus: 'STOPPED',
        source: 'batch-a (111122223333, eu-west-1)',
      },
      outcome: 'succeeded',
      crossCheck: 'not-run',
      message: {
        text: ':white_check_mark: nightly-report:42 succeeded in batch-a (111122223333, eu-west-1) · 10m 10s',
      },
      digest: null,
    });
  });

  it('processes every file even when some are broken, and exits 1', async () => {
    const broken = write('broken.json', '{"detail-type": ');
    const number = write('number.json', '42');
    const { code, stdout } = await runCli([
      'replay',
      '--dry-run',
      '--json',
      broken,
      number,
      fixturePath('events/ec2-stopped-failed.json'),
    ]);
    expect(code).toBe(1);
    expect(jsonLines(stdout).map((l) => [l.status, l.reason])).toEqual([
      ['rejected', expect.stringMatching(/^not JSON: /)],
      ['rejected', 'the event is not a JSON object'],
      ['notified', null],
    ]);
  });

  it('reads a JSON array, JSON Lines and an SQS batch as the Lambda receives it', async () => {
    const task = (n: number) => {
      const event = loadEvent('fargate-stopped-succeeded');
      event.detail.taskArn = `arn:aws:ecs:eu-west-1:111122223333:task/batch-a/${String(n).padStart(32, '0')}`;
      return event;
    };
    const array = write('array.json', JSON.stringify([task(1), task(2)]));
    const lines = write('events.jsonl', `${JSON.stringify(task(3))}\n\n${JSON.stringify(task(4))}\n`);
    const sqs = write(
      'sqs.json',
      JSON.stringify({ Records: [{ body: JSON.stringify(task(5)) }, { body: 'nope' }] }),
    );
    const { stdout } = await runCli(['replay', '--dry-run', '--json', array, lines, sqs]);
    expect(jsonLines(stdout).map((l) => [l.index, l.status])).toEqual([
      [0, 'notified'],
      [1, 'notified'],
      [0, 'notified'],
      [1, 'notified'],
      [0, 'notified'],
      [1, 'rejected'],
    ]);
  });

  it('notifies a task stop seen twice in one run once', async () => {
    const again = write('again.json', JSON.stringify(failed));
    const { stdout } = await runCli([
      'replay',
      '--dry-run',
      '--json',
      fixturePath('events/ec2-stopped-failed.json'),
      again,
    ]);
    expect(jsonLines(stdout).map((l) => [l.status, l.reason])).toEqual([
      ['notified', null],
      ['skipped', 'duplicate of an earlier event in this batch'],
    ]);
  });

  it('answers the cross-check from saved describe-tasks output: confirmed, mismatch and a stop-task wrapper', async () => {
    const { stdout } = await runCli([
      'replay',
      '--dry-run',
      '--json',
      '--describe-tasks',
      fixturePath('describe-tasks/cli-v2-fargate.json'),
      '--describe-tasks',
      fixturePath('describe-tasks/cli-v1-epoch-ec2.json'),
      '--describe-tasks',
      fixturePath('describe-tasks/stop-task-failed-to-start.json'),
      fixturePath('events/fargate-stopped-succeeded.json'),
      fixturePath('events/ec2-stopped-failed.json'),
      fixturePath('events/us-gov-failed-to-start.json'),
    ]);
    expect(jsonLines(stdout).map((l) => l.crossCheck)).toEqual(['confirmed', 'mismatch', 'confirmed']);
  });

  it('applies the configuration: source labels by cluster and subnet, and notifyOn', async () => {
    const { stdout } = await runCli([
      'replay',
      '--dry-run',
      '--json',
      '--config',
      fixturePath('config/two-vpcs.json'),
      fixturePath('events/fargate-stopped-succeeded.json'),
      fixturePath('events/ec2-stopped-failed.json'),
      fixturePath('events/deprovisioning-with-stopcode.json'),
      fixturePath('events/oldarn-running-no-launchtype.json'),
    ]);
    expect(jsonLines(stdout).map((l) => [l.status, (l.task as { source: string }).source, l.reason])).toEqual(
      [
        ['notified', 'batch (vpc-a)', null],
        ['notified', 'batch (vpc-b)', null],
        ['skipped', null, 'the task has no ENI subnet to match source "batch (vpc-a)" (subnetIds)'],
        ['skipped', null, 'lastStatus RUNNING is not in notifyOn (STOPPED, DEPROVISIONING)'],
      ],
    );
  });

  it('prints readable lines and a summary without --json', async () => {
    const { stdout } = await runCli(['replay', '--dry-run', fixturePath('events')]);
    expect(stdout).toContain('skipped   ');
    expect(stdout).toContain(
      'spot-termination-partial.json  — lastStatus RUNNING is not in notifyOn (STOPPED)',
    );
    expect(stdout.trim().split('\n').at(-1)).toBe(
      '24 events → 5 messages, 0 digests (dry run: none sent); 5 would notify, 19 skipped, 0 rejected, 0 failed',
    );
  });

  it('counts the messages and digests the events made, in the summary', async () => {
    const config = write('digest-config.json', JSON.stringify({ digestThreshold: 2 }));
    const batch = write(
      'digest.jsonl',
      [1, 2, 3].map((n) => JSON.stringify(withTaskId(loadEvent('fargate-stopped-succeeded'), n))).join('\n'),
    );
    const { code, stdout } = await runCli([
      'replay',
      '--dry-run',
      '--config',
      config,
      batch,
      fixturePath('events/ec2-stopped-failed.json'),
      fixturePath('events/us-gov-failed-to-start.json'),
    ]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').at(-1)).toBe(
      '5 events → 2 messages, 1 digest (dry run: none sent); 5 would notify, 0 skipped, 0 rejected, 0 failed',
    );
  });

  it('says which events went into which digest, in the readable line and the JSON', async () => {
    const config = write('digest-ids-config.json', JSON.stringify({ digestThreshold: 2 }));
    const batch = write(
      'digest-ids.jsonl',
      [1, 2, 3].map((n) => JSON.stringify(withTaskId(loadEvent('fargate-stopped-succeeded'), n))).join('\n'),
    );
    const single = fixturePath('events/ec2-stopped-failed.json');
    const text = await runCli(['replay', '--dry-run', '--config', config, batch, single]);
    const lines = text.stdout.trim().split('\n').slice(0, -1);
    const ids = lines.map((line) => /\(in digest #(\d+)\)/.exec(line)?.[1]);
    expect(ids.slice(0, 3)).toEqual([ids[0], ids[0], ids[0]]);
    expect(ids[0]).toMatch(/^\d+$/);
    expect(ids[3]).toBeUndefined();

    const json = jsonLines(
      (await runCli(['replay', '--dry-run', '--json', '--config', config, batch, single])).stdout,
    );
    const digests = json.map((r) => r.digest);
    expect(new Set(digests.slice(0, 3)).size).toBe(1);
    expect(digests[0]).toEqual(expect.any(Number));
    expect(digests[3]).toBeNull();
    expect(json[0]).toMatchObject({ routes: [{ name: 'default', digest: digests[0] }] });
  });
});

describe('replay configuration', () => {
  it('reads NOTIFIER_CONFIG when --config is absent, as local prints it', async () => {
    const { code, stdout } = await runCli(
      ['replay', '--dry-run', '--json', fixturePath('events/fargate-stopped-succeeded.json')],
      { NOTIFIER_CONFIG: readFileSync(fixturePath('config/two-vpcs.json'), 'utf8') },
    );
    expect(code).toBe(0);
    expect(jsonLines(stdout)[0]).toMatchObject({ task: { source: 'batch (vpc-a)' } });
  });

  it('names NOTIFIER_CONFIG and the key when its configuration is wrong', async () => {
    const { code, stderr } = await runCli(
      ['replay', '--dry-run', fixturePath('events/fargate-stopped-succeeded.json')],
      { NOTIFIER_CONFIG: '{"sources": [{"label": "x", "clusterArn": "batch-b"}]}' },
    );
    expect(code).toBe(2);
    expect(stderr).toContain('NOTIFIER_CONFIG.sources[0].clusterArn');
  });
});

describe('replay --aws without credentials', () => {
  it('says so once on stderr, and each line says why the cross-check is unavailable', async () => {
    const { code, stdout, stderr } = await runCli(
      [
        'replay',
        '--dry-run',
        '--aws',
        fixturePath('events/fargate-stopped-succeeded.json'),
        fixturePath('events/ec2-stopped-failed.json'),
      ],
      NO_CREDENTIALS_ENV,
    );
    expect(code).toBe(0);
    expect(stderr.match(/no AWS credentials/g)).toHaveLength(1);
    const lines = stdout.trim().split('\n').slice(0, -1);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toContain('cross-check: unavailable (no AWS credentials');
    expect(stderr).not.toMatch(/CredentialsProviderError|\n\s+at /);
  });
});

describe('replay usage', () => {
  it.each([
    [[], 'give at least one event file or directory'],
    [
      [fixturePath('events')],
      'nowhere to post: pass --webhook-url URL, or --slack-token TOKEN with --channel ID (or --route NAME=URL|ID), or set SLACK_WEBHOOK_URL or SLACK_BOT_TOKEN, or use --dry-run',
    ],
    [['--dry-run', '--bogus', 'x'], 'unknown option --bogus\nUsage: ecs-task-notifier replay'],
    [['--dry-run', '--config'], '--config needs a value\nUsage: ecs-task-notifier replay'],
    [['--dry-run', '--config', fixturePath('events/ec2-stopped-failed.json'), 'x'], 'has unknown keys'],
  ])('exits 2 with a short message and the usage line for %j', async (args, message) => {
    const { code, stderr } = await runCli(['replay', ...args], { SLACK_WEBHOOK_URL: '' });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(2);
  });

  it('shows its options with --help', async () => {
    const { code, stdout } = await runCli(['replay', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--describe-tasks FILE');
  });
});

describe('replay posting to Slack', () => {
  it('carries an event from file to a received message through the real ECSClient and IncomingWebhook', async () => {
    const before = sink.messages().length;
    const { code, stdout } = await runCli(
      [
        'replay',
        '--aws',
        '--json',
        '--webhook-url',
        sink.hookUrl,
        fixturePath('events/fargate-stopped-succeeded.json'),
      ],
      { ...AWS_TEST_ENV, AWS_ENDPOINT_URL_ECS: ecs.url },
    );
    expect(code).toBe(0);
    expect(jsonLines(stdout)[0]).toMatchObject({ status: 'notified', crossCheck: 'confirmed' });
    const payload = sink.messages()[before]?.payload as { text: string };
    expect(payload.text).toContain('nightly-report:42 succeeded');
    expect(JSON.stringify(payload)).toContain('|task 0f1e2d3c>');
  });

  it('waits out a 429 Retry-After and then delivers', async () => {
    const before = sink.messages().length;
    sink.setFailure({ status: 429, retryAfter: 1, times: 1 });
    const { code, stdout } = await runCli([
      'replay',
      '--json',
      '--webhook-url',
      sink.hookUrl,
      fixturePath('events/us-gov-failed-to-start.json'),
    ]);
    expect(code).toBe(0);
    expect(jsonLines(stdout)[0]).toMatchObject({ status: 'notified' });
    expect(sink.messages().length - before).toBe(1);
  });

  it('prints each retry on stderr while it waits', async () => {
    sink.setFailure({ status: 500, times: 1 });
    const { code, stdout, stderr } = await runCli([
      'replay',
      '--json',
      '--webhook-url',
      sink.hookUrl,
      fixturePath('events/ec2-stopped-failed.json'),
    ]);
    expect(code).toBe(0);
    expect(jsonLines(stdout)[0]).toMatchObject({ status: 'notified' });
    expect(stderr).toMatch(/internal_error; trying again in .* \(attempt 2 of \d+\)/);
  });

  it('reports a permanent Slack error per event with its code, exit 1, and never prints the URL', async () => {
    const url = `${sink.hookUrl}/T000/B000/very-secret-token?status=410`;
    const { code, stdout, stderr } = await runCli([
      'replay',
      '--json',
      '--webhook-url',
      url,
      fixturePath('events/ec2-stopped-failed.json'),
    ]);
    expect(code).toBe(1);
    expect(jsonLines(stdout)[0]).toMatchObject({
      status: 'failed',
      reason: 'Slack answered 410 channel_is_archived',
    });
    expect(stdout + stderr).not.toContain('very-secret-token');
  });
});
