import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  buildPlainTextMessage,
  buildSlackMessage,
  type SlackMessage,
} from '../../../../lambda/domain/message/slack-message.js';
import type { CrossCheck, TaskLogs } from '../../../../lambda/domain/task/task.js';
import { reportFrom } from '../../../support/reports.js';
import { HOSTILE_TEXT, limitProblems, payloadTexts } from '../../../support/slack-payload.js';

function blocksOf(message: SlackMessage): KnownBlock[] {
  return (message.attachments?.[0]?.blocks ?? []) as KnownBlock[];
}

/** The table's rows as [label, value object]. */
function rows(message: SlackMessage): [string, { type: string; text: string }][] {
  const fields = blocksOf(message)
    .filter((b): b is SectionBlock => b.type === 'section' && !b.text && Boolean(b.fields))
    .flatMap((b) => b.fields ?? []);
  const out: [string, { type: string; text: string }][] = [];
  for (let i = 0; i < fields.length; i += 2) out.push([fields[i]?.text ?? '', fields[i + 1] as never]);
  return out;
}

function row(message: SlackMessage, label: string): { type: string; text: string } | undefined {
  return rows(message).find(([name]) => name === `*${label}*`)?.[1];
}

function mrkdwnTexts(message: SlackMessage): string[] {
  return payloadTexts(message)
    .filter((t) => t.kind === 'mrkdwn')
    .map((t) => t.text);
}

function header(message: SlackMessage): string {
  const block = message.blocks?.find((b) => b.type === 'header') as { text: { text: string } } | undefined;
  return block?.text.text ?? '';
}

const failed = reportFrom('ec2-stopped-failed');
const exited = (exitCode: number, reason?: string) =>
  reportFrom('ec2-stopped-failed', {
    containers: [{ name: 'import', exitCode, lastStatus: 'STOPPED', ...(reason ? { reason } : {}) }],
  });

describe('the first line', () => {
  it('says what, where and why: outcome, family:revision, source, and the failed container with its exit code', () => {
    const message = buildSlackMessage(failed);
    expect(header(message)).toBe(
      '❌ customer-import:7 failed in batch (vpc-a): import exited with an error (exit 1): CannotPullContainerError: none',
    );
    expect(message.text).toBe(
      ':x: customer-import:7 failed in batch (vpc-a): import exited with an error (exit 1): CannotPullContainerError: none',
    );
  });

  it.each([
    [137, 'import was killed: out of memory or SIGKILL (exit 137)'],
    [143, 'import got SIGTERM (exit 143)'],
    [139, 'import crashed: segfault (exit 139)'],
    [1, 'import exited with an error (exit 1)'],
    [127, 'import command not found (exit 127)'],
    [3, 'import exited (exit 3)'],
  ])('explains exit code %i', (code, cause) => {
    expect(header(buildSlackMessage(exited(code)))).toBe(
      `❌ customer-import:7 failed in batch (vpc-a): ${cause}`,
    );
  });

  it('says out of memory when the container was killed for it, and not the reason again', () => {
    const message = buildSlackMessage(exited(137, 'OutOfMemoryError: Container killed due to memory usage'));
    expect(header(message)).toBe(
      '❌ customer-import:7 failed in batch (vpc-a): import out of memory (exit 137)',
    );
    expect(JSON.stringify(message)).not.toContain('OutOfMemoryError');
  });

  it('says a task could not start, and why', () => {
    expect(header(buildSlackMessage(reportFrom('us-gov-failed-to-start')))).toBe(
      '❌ vc25-interactive-task:23 failed in batch (vpc-a): could not start: ResourceInitializationError: unable to pull secrets',
    );
  });

  it('says what stopped a task from outside before any exit code: a deployment, a user, Spot', () => {
    const stop = (stopCode: string, stoppedReason: string) =>
      header(buildSlackMessage(reportFrom('aws-cn-scheduler-stopped', { stopCode, stoppedReason })));
    expect(header(buildSlackMessage(reportFrom('aws-cn-scheduler-stopped')))).toBe(
      '🛑 EcsStackTaskDef7C0694E4:3 stopped in batch (vpc-a): scaled in by deployment ecs-svc/9909299324976484585',
    );
    expect(stop('UserInitiated', 'Task stopped by user')).toMatch(/: stopped by a user$/);
    expect(stop('TerminationNotice', 'Your Spot Task was interrupted.')).toMatch(
      /: Spot interruption: AWS reclaimed the capacity$/,
    );
    expect(stop('ServiceSchedulerInitiated', 'Task failed ELB health checks in (target-group x)')).toMatch(
      /: failed its health checks: Task failed ELB health checks in \(target-group x\)$/,
    );
  });

  it('cuts only the detail of a long cause, to its error name, and shows it whole in a Reason row', () => {
    const reason = `CannotPullContainerError: pull image manifest has been retried 5 time(s): ${'x'.repeat(300)}`;
    const message = buildSlackMessage(reportFrom('us-gov-failed-to-start', { stoppedReason: reason }));
    expect(header(message)).toBe(
      '❌ vc25-interactive-task:23 failed in batch (vpc-a): could not start: CannotPullContainerError',
    );
    expect(row(message, 'Reason')?.text).toBe(reason);
  });

  it('says how long a success ran', () => {
    expect(buildSlackMessage(reportFrom('fargate-stopped-succeeded')).text).toBe(
      ':white_check_mark: nightly-report:42 succeeded in batch (vpc-a) · 10m 10s',
    );
  });
});

describe('the details of a failure', () => {
  const message = buildSlackMessage(failed);

  it('are a few rows, each said once: no stop code, no group that is the family, no cluster twice', () => {
    expect(rows(message).map(([label, value]) => [label, value.type])).toEqual(
      ['Ran on', 'When', 'Started by', 'Other containers'].map((label) => [`*${label}*`, 'plain_text']),
    );
    expect(row(message, 'Ran on')?.text).toBe('batch-b · vpc-0a1b2c3d · EC2 · us-east-2');
    expect(row(message, 'Other containers')?.text).toBe('log-router exit 0');
  });

  it('give the times as one row, with the duration', () => {
    expect(row(message, 'When')?.text).toBe('07:00:04 → 07:15:09 UTC · 15m 05s');
  });

  it('leave the cluster out of "Ran on" when the source label names it', () => {
    const source = { label: 'batch-b (444455556666, us-east-2)', configured: false };
    const shown = buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { source }));
    expect(row(shown, 'Ran on')?.text).toBe('EC2 · us-east-2');
  });

  it('show a group that says more than the family', () => {
    expect(row(buildSlackMessage(reportFrom('aws-cn-scheduler-stopped')), 'Group')?.text).toBe(
      'service:EcsStack-Service81FC6EF6-1MxpQy4jk934',
    );
  });

  it('show the failed image and the task size, for failures only', () => {
    const change = {
      cpu: '1024',
      memory: '2048',
      containers: [
        {
          name: 'report',
          exitCode: 2,
          image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/nightly-report:3.2.0',
          imageDigest: `sha256:${'ab12'.repeat(16)}`,
        },
        { name: 'sidecar', exitCode: 0, image: 'fluent-bit:2' },
      ],
    };
    const failure = buildSlackMessage(reportFrom('fargate-stopped-succeeded', change));
    expect(row(failure, 'Image')?.text).toBe('nightly-report:3.2.0 @sha256:ab12ab12ab12');
    expect(row(failure, 'Size')?.text).toBe('1 vCPU · 2 GiB');
    const success = buildSlackMessage(
      reportFrom('fargate-stopped-succeeded', { ...change, containers: [{ name: 'report', exitCode: 0 }] }),
      { successes: 'card' },
    );
    expect(row(success, 'Image')).toBeUndefined();
    expect(row(success, 'Size')).toBeUndefined();
  });

  it('show an unknown revision as such, never a guess', () => {
    const shown = buildSlackMessage(reportFrom('no-revision-stopped'), { successes: 'card' });
    expect(header(shown)).toMatch(/^✅ webserver:\? succeeded/);
    expect(JSON.stringify(shown)).toContain('/ecs/v2/task-definitions/webserver?region=us-east-1|');
  });

  it('link the task by its short ID and the task definition, with no ARN to wrap', () => {
    const links = blocksOf(message).find(
      (b) => b.type === 'section' && b.text?.text.startsWith('ECS console:'),
    ) as SectionBlock;
    expect(links.text).toEqual({
      type: 'mrkdwn',
      verbatim: true,
      text:
        'ECS console: <https://us-east-2.console.aws.amazon.com/ecs/v2/clusters/batch-b/tasks/9a8b7c6d5e4f30211203f4e5d6c7b8a9/configuration?region=us-east-2|task 9a8b7c6d>' +
        '  ·  <https://us-east-2.console.aws.amazon.com/ecs/v2/task-definitions/customer-import/7/containers?region=us-east-2|task definition>',
    });
    expect(JSON.stringify(blocksOf(message))).not.toContain('arn:aws:ecs');
  });

  it('use the China and GovCloud console hosts for those partitions', () => {
    expect(JSON.stringify(buildSlackMessage(reportFrom('aws-cn-scheduler-stopped')))).toContain(
      'https://console.amazonaws.cn/ecs/v2/clusters/',
    );
    expect(JSON.stringify(buildSlackMessage(reportFrom('us-gov-failed-to-start')))).toContain(
      'https://console.amazonaws-us-gov.com/ecs/v2/clusters/gov-batch/',
    );
  });

  it('end with the cross-check and the tags in one grey line', () => {
    const tagged = buildSlackMessage(reportFrom('ec2-stopped-failed', { tags: { team: 'data' } }));
    expect(blocksOf(tagged).at(-1)).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: ':white_check_mark:', verbatim: true },
        { type: 'plain_text', text: 'confirmed by DescribeTasks', emoji: false },
        { type: 'plain_text', text: 'Tags: team=data', emoji: false },
      ],
    });
  });

  it('keep within every Slack limit, cutting with an ellipsis', () => {
    const huge = 'x'.repeat(10_000);
    const big = buildSlackMessage(
      reportFrom('ec2-stopped-failed', {
        stoppedReason: huge,
        family: 'f'.repeat(255),
        startedBy: huge,
        containers: Array.from({ length: 200 }, (_, i) => ({ name: `c${i}`, exitCode: 1, reason: huge })),
        tags: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, huge])),
      }),
    );
    expect(limitProblems(big)).toEqual([]);
    expect(header(big).endsWith('…')).toBe(true);
    expect(row(big, 'Started by')?.text).toHaveLength(2000);
  });
});

describe('successes', () => {
  const success = reportFrom('fargate-stopped-succeeded');

  it('are one quiet line by default: outcome, job, source, duration, and the task linked', () => {
    const message = buildSlackMessage(success);
    expect(message.attachments).toBeUndefined();
    expect(message.blocks).toEqual([
      {
        type: 'context',
        elements: [
          {
            type: 'plain_text',
            text: '✅ nightly-report:42 succeeded in batch (vpc-a) · 10m 10s',
            emoji: false,
          },
          {
            type: 'mrkdwn',
            verbatim: true,
            text: '<https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/batch-a/tasks/0f1e2d3c4b5a69788796a5b4c3d2e1f0/configuration?region=eu-west-1|task 0f1e2d3c>',
          },
        ],
      },
    ]);
  });

  it('are a full card, coloured green, when the route asks for cards', () => {
    const message = buildSlackMessage(success, { successes: 'card' });
    expect(message.attachments?.[0]?.color).toBe('#2EB67D');
    expect(row(message, 'When')?.text).toBe('02:00:31 → 02:10:41 UTC · 10m 10s');
  });

  it('are a card whatever the route asks when the source or the task definition is in doubt', () => {
    const mismatch: CrossCheck = {
      status: 'mismatch',
      described: { family: 'nightly-report', revision: 41 },
    };
    expect(buildSlackMessage({ ...success, crossCheck: mismatch }).attachments).toHaveLength(1);
    const source = { label: 'batch-a', configured: true, note: 'could not tell which source' };
    expect(buildSlackMessage({ ...success, source }).attachments).toHaveLength(1);
  });
});

describe('a message on text from events as an attacker would write it', () => {
  const message = buildSlackMessage(reportFrom('ec2-stopped-failed', HOSTILE_TEXT));

  it('shows a container name with a backtick and its reason as plain text, in the header and no code span', () => {
    expect(header(message)).toBe(
      '❌ customer-import:7 failed in batch (vpc-a): evil`name out of memory (exit 2)',
    );
    expect(message.blocks?.[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
  });

  it('makes the same words inert in the notification text', () => {
    expect(message.text).toBe(
      ':x: customer-import:7 failed in batch (vpc-a): evil\u02cbname out of memory (exit 2)',
    );
  });

  it('escapes <!channel> and <@user> so they neither ping nor link', () => {
    expect(row(message, 'Group')?.text).toBe('&lt;!channel&gt;');
    expect(row(message, 'Started by')?.text).toBe('_italic_ ~strike~ &lt;@U024BE7LH&gt;');
  });

  it('puts no text from the event in mrkdwn, and marks all our mrkdwn verbatim', () => {
    const mrkdwn = payloadTexts(message).filter((t) => t.kind === 'mrkdwn');
    expect(mrkdwn.every((t) => t.verbatim)).toBe(true);
    for (const word of ['bold', 'evil', 'channel', 'italic', 'U024BE7LH', 'OutOfMemory'])
      expect(mrkdwnTexts(message).filter((t) => t.includes(word))).toEqual([]);
  });

  it('keeps a *bold* stop reason literal, and drops its bidi override and ESC sequences', () => {
    const stopped = buildSlackMessage(
      reportFrom('ec2-stopped-failed', { ...HOSTILE_TEXT, stopCode: 'UserInitiated', containers: [] }),
    );
    expect(header(stopped)).toBe(
      '🛑 customer-import:7 stopped in batch (vpc-a): stopped by a user: *bold* reason evil [31mred[0m https://evil.example @here',
    );
  });
});

describe('the cross-check in the message', () => {
  const mismatch: CrossCheck = { status: 'mismatch', described: { family: 'customer-import', revision: 8 } };

  it('gives a mismatch its own section first in the card, with a warning and both values', () => {
    const blocks = blocksOf(
      buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { crossCheck: mismatch })),
    );
    expect(blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: ':warning: *Task definition mismatch*: the event and DescribeTasks disagree',
        verbatim: true,
      },
      fields: [
        { type: 'mrkdwn', text: '*The event says*', verbatim: true },
        { type: 'plain_text', text: 'customer-import:7', emoji: false },
        { type: 'mrkdwn', text: '*DescribeTasks says*', verbatim: true },
        { type: 'plain_text', text: 'customer-import:8', emoji: false },
      ],
    });
  });

  it('does not repeat a mismatch in the grey line', () => {
    const blocks = blocksOf(
      buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { crossCheck: mismatch })),
    );
    expect(JSON.stringify(blocks.filter((b) => b.type === 'context'))).not.toMatch(
      /customer-import:8|DescribeTasks/,
    );
  });

  it('shows what DescribeTasks named as plain text, whatever it is', () => {
    const crossCheck: CrossCheck = { status: 'mismatch', described: { family: '*x*<!here>', revision: 2 } };
    const section = blocksOf(buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { crossCheck })))[0];
    expect((section as SectionBlock).fields?.[3]).toEqual({
      type: 'plain_text',
      text: '*x*&lt;!here&gt;:2',
      emoji: false,
    });
  });

  it.each([
    [{ status: 'missing', detail: 'MISSING' }, 'unverified: DescribeTasks no longer knows this task'],
    [
      { status: 'unavailable', detail: '<!here> *Denied*' },
      'unverified: DescribeTasks unavailable (&lt;!here&gt; *Denied*)',
    ],
  ] as const)('states %j in the grey line, as plain text', (crossCheck, sentence) => {
    const blocks = blocksOf(buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { crossCheck })));
    expect(blocks.at(-1)).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: ':grey_question:', verbatim: true },
        { type: 'plain_text', text: sentence, emoji: false },
      ],
    });
  });

  it('says without alarm that there was no cross-check', () => {
    const crossCheck: CrossCheck = { status: 'not-run' };
    expect(blocksOf(buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { crossCheck }))).at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'plain_text', text: 'not cross-checked with DescribeTasks', emoji: false }],
    });
  });
});

describe('the source note', () => {
  const source = {
    label: 'batch-b (444455556666, us-east-2)',
    configured: false,
    note: 'EC2 DescribeSubnets failed: AccessDenied (HTTP 403)',
  };

  it('is a warning section of its own at the top of the card', () => {
    expect(blocksOf(buildSlackMessage(reportFrom('ec2-stopped-failed', {}, { source })))[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: ':warning: *Source uncertain*', verbatim: true },
      fields: [
        { type: 'plain_text', text: 'EC2 DescribeSubnets failed: AccessDenied (HTTP 403)', emoji: false },
      ],
    });
  });

  it('is plain text, whatever error name it embeds', () => {
    const message = buildSlackMessage(
      reportFrom('ec2-stopped-failed', {}, { source: { ...source, note: 'failed: <!here> *x*' } }),
    );
    expect(JSON.stringify(blocksOf(message)[0])).toContain('"text":"failed: &lt;!here&gt; *x*"');
  });

  it('is not there when the source is certain', () => {
    expect(JSON.stringify(buildSlackMessage(failed))).not.toContain('Source uncertain');
  });
});

describe('buildPlainTextMessage', () => {
  it('carries the first line, what is in doubt and the task, as text only', () => {
    const message = buildPlainTextMessage(failed);
    expect(message.attachments).toBeUndefined();
    expect(message.blocks).toBeUndefined();
    expect(message.text.split('\n')).toEqual([
      ':x: customer-import:7 failed in batch (vpc-a): import exited with an error (exit 1): CannotPullContainerError: none',
      'Task: arn:aws:ecs:us-east-2:444455556666:task/batch-b/9a8b7c6d5e4f30211203f4e5d6c7b8a9',
    ]);
  });

  it('names a mismatch and the source note', () => {
    const message = buildPlainTextMessage(
      reportFrom(
        'ec2-stopped-failed',
        {},
        {
          crossCheck: { status: 'mismatch', described: { family: 'customer-import', revision: 8 } },
          source: { label: 'batch', configured: true, note: 'EC2 DescribeSubnets failed: AccessDenied' },
        },
      ),
    );
    expect(message.text).toContain(':warning: Source uncertain: EC2 DescribeSubnets failed: AccessDenied');
    expect(message.text).toContain(
      ':warning: Task definition mismatch: the event says customer-import:7, DescribeTasks says customer-import:8',
    );
  });

  it('keeps a stop reason from pinging or linking: <!channel>, @here and a bare URL stay inert', () => {
    const text = buildPlainTextMessage(
      reportFrom('ec2-stopped-failed', { ...HOSTILE_TEXT, stopCode: 'UserInitiated', containers: [] }),
    ).text;
    expect(text).toContain(
      'stopped by a user: ∗bold∗ reason evil [31mred[0m https:\u2060//evil.\u2060example @\u2060here',
    );
    expect(text).not.toMatch(/[<>]|&(?!(amp|lt|gt);)|:\/\/|@(?!\u2060)/);
  });
});

describe('the logs in the message', () => {
  const stream = (container: string) => ({
    group: '/ecs/customer-import',
    stream: `ecs/${container}/9a8b7c6d5e4f30211203f4e5d6c7b8a9`,
    region: 'us-east-2',
    partition: 'aws',
  });
  const withLogs = (logs: TaskLogs) => buildSlackMessage({ ...reportFrom('ec2-stopped-failed'), logs });
  const containers: TaskLogs['containers'] = [
    { container: 'import', driver: 'awslogs', stream: stream('import') },
    { container: 'log-router', driver: 'awsfirelens' },
  ];
  const logsSection = (message: SlackMessage) =>
    blocksOf(message).find((b) => b.type === 'section' && b.text?.text === '*Logs* (CloudWatch console)') as
      | SectionBlock
      | undefined;

  it('links each container log stream with our own label, the container name as plain text beside it', () => {
    const section = logsSection(withLogs({ containers, tail: { status: 'off' } }));

    expect(section?.fields).toEqual([
      { type: 'plain_text', text: 'import', emoji: false },
      {
        type: 'mrkdwn',
        verbatim: true,
        text: '<https://us-east-2.console.aws.amazon.com/cloudwatch/home?region=us-east-2#logsV2:log-groups/log-group/$252Fecs$252Fcustomer-import/log-events/ecs$252Fimport$252F9a8b7c6d5e4f30211203f4e5d6c7b8a9|log stream>',
      },
      { type: 'plain_text', text: 'log-router', emoji: false },
      { type: 'plain_text', text: 'logs with awsfirelens (no link)', emoji: false },
    ]);
  });

  it('shows the failed container last lines in a code block, under a line saying how many were left out', () => {
    const blocks = blocksOf(
      withLogs({
        containers,
        tail: {
          status: 'shown',
          container: 'import',
          lines: ['pulling', 'Killed <!channel>'],
          omitted: 12,
          more: false,
        },
      }),
    );
    const at = blocks.findIndex((b) => b.type === 'rich_text');

    expect(blocks[at - 1]).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', verbatim: true, text: '*Last log lines*' },
        { type: 'plain_text', text: 'import: the last 2 lines; 12 earlier not shown', emoji: false },
      ],
    });
    expect(blocks[at]).toEqual({
      type: 'rich_text',
      elements: [
        { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'pulling\nKilled <!channel>' }] },
      ],
    });
  });

  it('says so when more earlier lines may exist than were read', () => {
    const message = withLogs({
      containers,
      tail: { status: 'shown', container: 'import', lines: ['a'], omitted: 49, more: true },
    });

    expect(JSON.stringify(message)).toContain('import: the last 1 line; 49+ earlier not shown');
  });

  it('for an empty stream, says there are no lines yet and links the stream to open', () => {
    const message = withLogs({ containers, tail: { status: 'empty', container: 'import' } });

    expect(mrkdwnTexts(message)).toContainEqual(
      expect.stringMatching(
        /^:grey_question: No log lines yet: <https:\/\/us-east-2\.console\.aws\.amazon\.com\/cloudwatch\/.*\|open the stream>$/,
      ),
    );
  });

  it('marks why the tail is missing: denied, failed, too slow, or a group outside logGroups', () => {
    const notes = (['denied', 'unavailable', 'timeout', 'outside'] as const).map((status) =>
      payloadTexts(
        withLogs({
          containers,
          tail: {
            status,
            container: 'import',
            detail:
              status === 'outside' ? 'log group /x is not in logGroups' : 'ThrottlingException (HTTP 400)',
          },
        }),
      )
        .filter((t) => t.text.startsWith('Log tail not shown'))
        .map((t) => t.text),
    );

    expect(notes).toEqual([
      ['Log tail not shown: reading the log of import was denied (ThrottlingException (HTTP 400))'],
      ['Log tail not shown: CloudWatch Logs failed (ThrottlingException (HTTP 400))'],
      ['Log tail not shown: CloudWatch Logs did not answer in time'],
      ['Log tail not shown: log group /x is not in logGroups'],
    ]);
  });

  it('says in one short context line, and with no links, when the task definition could not be read', () => {
    const message = withLogs({
      unavailable: 'AccessDeniedException (HTTP 400)',
      containers: [],
      tail: { status: 'none' },
    });

    expect(logsSection(message)).toBeUndefined();
    expect(blocksOf(message)).toContainEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', verbatim: true, text: ':grey_question:' },
        {
          type: 'plain_text',
          text: 'No log links: the task definition could not be read (AccessDeniedException (HTTP 400))',
          emoji: false,
        },
      ],
    });
  });

  it('says nothing about logs when none were looked up, or the tail is off', () => {
    const plain = JSON.stringify(buildSlackMessage(reportFrom('ec2-stopped-failed')));
    const off = JSON.stringify(withLogs({ containers, tail: { status: 'off' } }));

    expect(plain).not.toMatch(/log stream|Last log lines|Log tail/);
    expect(off).not.toMatch(/Last log lines|Log tail/);
  });

  it('keeps ten containers and a full tail within every Slack limit', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      container: `c${i}`.padEnd(300, 'x'),
      driver: 'awslogs',
      stream: { ...stream(`c${i}`), group: `/${'g'.repeat(511)}`, stream: 's/'.repeat(256) },
    }));
    const lines = Array.from({ length: 50 }, () => 'y'.repeat(200));

    const message = withLogs({
      containers: many,
      tail: { status: 'shown', container: 'c0', lines, omitted: 0, more: false },
    });

    expect(limitProblems(message)).toEqual([]);
  });
});
